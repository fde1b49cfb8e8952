package railyard.io.lake;

import static railyard.io.lake.LakeFixtures.event;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/** What goes into the lake comes out byte for byte, stamped with its receipt time. */
@RunWith(JUnit4.class)
public class LakeRoundTripTest {
  private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-01-03T00:00:00Z");

  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline writer = TestPipeline.create();
  @Rule public final transient TestPipeline reader = TestPipeline.create();

  private static final List<RawEvent> EVENTS =
      List.of(
          event("kafka:orders/0/1", "2026-01-01T10:15:00.123Z", "{\"id\": 1, \"name\": \"Zoë\"}"),
          // Invalid UTF-8: a lone continuation byte, a truncated sequence, 0xFF.
          event("mqtt:sensors", "2026-01-01T10:59:59.999Z", new byte[] {(byte) 0x80, 'a', (byte) 0xC3, (byte) 0xFF}),
          event("http", "2026-01-02T00:00:00.000Z", new byte[0]),
          event("file:/in/x.bin", "2026-01-02T23:00:00.001Z", new byte[] {0, 0, 10, 13, 0}),
          new RawEvent(
              "kafka:orders/1/7",
              LakeFixtures.at("2026-01-01T10:15:00.123Z"),
              "same time, other event".getBytes(StandardCharsets.UTF_8),
              Map.of("content-type", "application/json", "ключ", "värde", "empty", "")),
          new RawEvent("http", LakeFixtures.at("2026-01-01T12:00:00Z"), new byte[] {1}, Map.of()));

  private String root() {
    return tmp.getRoot().getAbsolutePath();
  }

  private void writeEvents() {
    writer
        .apply(Create.of(EVENTS))
        .apply(RawLakeWrite.create().withRoot(root()).withPipelineName("orders"));
    writer.run().waitUntilFinish();
  }

  @Test
  public void readReturnsExactlyTheBytesAndAttributesWritten() {
    writeEvents();

    PCollection<RawEvent> read =
        reader.apply(
            RawLakeRead.create().withRoot(root()).withPipelineName("orders").withTimeRange(FROM, TO));

    PAssert.that(read).containsInAnyOrder(EVENTS);
    reader.run().waitUntilFinish();
  }

  @Test
  public void aBoundedReadLeavesEachEventAtTheStartOfTime() {
    writeEvents();

    PCollection<TimestampedValue<RawEvent>> read =
        reader
            .apply(
                RawLakeRead.create()
                    .withRoot(root())
                    .withPipelineName("orders")
                    .withTimeRange(FROM, TO))
            .apply(Reify.timestamps());

    PAssert.that(read)
        .containsInAnyOrder(
            EVENTS.stream()
                .map(e -> TimestampedValue.of(e, BoundedWindow.TIMESTAMP_MIN_VALUE))
                .toList());
    reader.run().waitUntilFinish();
  }
}
