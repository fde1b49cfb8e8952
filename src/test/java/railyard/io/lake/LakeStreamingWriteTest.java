package railyard.io.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.matchesPattern;
import static railyard.io.lake.LakeFixtures.event;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.files.WrittenFiles;
import railyard.model.RawEvent;

/**
 * Unbounded input is cut into files by processing time and lands in the partitions of its receipt
 * times, however late against the watermark.
 */
@RunWith(JUnit4.class)
public class LakeStreamingWriteTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static TimestampedValue<RawEvent> received(RawEvent event) {
    return TimestampedValue.of(event, new Instant(event.receivedAt()));
  }

  private Path lake() {
    return tmp.getRoot().toPath().resolve("raw/live");
  }

  private void run(TestStream<RawEvent> stream, RawLakeWrite write) {
    pipeline
        .apply(stream)
        .apply(write.withRoot(tmp.getRoot().getAbsolutePath()).withPipelineName("live"));
    pipeline.run().waitUntilFinish();
  }

  private List<RawEvent> everythingWritten() {
    List<RawEvent> events = new ArrayList<>();
    for (String file : WrittenFiles.under(lake())) {
      events.addAll(LakeFixtures.readAvroFile(lake().resolve(file).toFile()));
    }
    return events;
  }

  @Test
  public void eventsLandInTheHourOfTheirReceipt() {
    RawEvent a = event("s", "2026-01-01T10:00:10Z", "a");
    RawEvent b = event("s", "2026-01-01T10:00:50Z", "b");
    RawEvent c = event("s", "2026-01-01T10:01:30Z", "c");
    RawEvent d = event("s", "2026-01-01T10:59:59.999Z", "d");
    RawEvent e = event("s", "2026-01-01T11:00:00Z", "e");
    TestStream<RawEvent> stream =
        TestStream.create(RawEvent.RawEventCoder.of())
            .addElements(received(a), received(b))
            .advanceWatermarkTo(Instant.parse("2026-01-01T10:01:00Z"))
            .addElements(received(c))
            .advanceWatermarkTo(Instant.parse("2026-01-01T10:30:00Z"))
            .addElements(received(d), received(e))
            .advanceWatermarkToInfinity();

    run(stream, RawLakeWrite.create());

    assertThat(
        WrittenFiles.partitionsUnder(lake()), contains("dt=2026-01-01/hr=10", "dt=2026-01-01/hr=11"));
    assertThat(everythingWritten(), containsInAnyOrder(a, b, c, d, e));
  }

  @Test
  public void filesAreCutByProcessingTimeOneSetPerInterval() {
    RawEvent first = event("s", "2026-01-01T10:00:10Z", "first");
    RawEvent second = event("s", "2026-01-01T10:00:20Z", "second");
    TestStream<RawEvent> stream =
        TestStream.create(RawEvent.RawEventCoder.of())
            .addElements(received(first))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .addElements(received(second))
            .advanceWatermarkToInfinity();

    run(stream, RawLakeWrite.create().withWindow(Duration.standardMinutes(1)));

    assertThat(everythingWritten(), containsInAnyOrder(first, second));
    assertThat(
        WrittenFiles.under(lake()),
        containsInAnyOrder(
            matchesPattern("dt=2026-01-01/hr=10/.*-global-p0-00000-of-00001\\.avro"),
            matchesPattern("dt=2026-01-01/hr=10/.*-global-p1-00000-of-00001\\.avro")));
  }

  @Test
  public void anEventFarBehindTheWatermarkIsStillWrittenToItsOwnHour() {
    RawEvent onTime = event("s", "2027-01-01T10:00:30Z", "on time");
    RawEvent yearOld = event("s", "2026-01-01T10:00:40Z", "a year late");
    TestStream<RawEvent> stream =
        TestStream.create(RawEvent.RawEventCoder.of())
            .addElements(received(onTime))
            .advanceWatermarkTo(Instant.parse("2027-01-01T11:00:00Z"))
            .addElements(received(yearOld))
            .advanceWatermarkToInfinity();

    run(stream, RawLakeWrite.create());

    assertThat(everythingWritten(), containsInAnyOrder(onTime, yearOld));
    assertThat(
        WrittenFiles.partitionsUnder(lake()), contains("dt=2026-01-01/hr=10", "dt=2027-01-01/hr=10"));
  }
}
