package railyard.io.lake;

import static railyard.io.lake.LakeFixtures.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/** A time-range read opens only the partitions of the range and keeps only its records. */
@RunWith(JUnit4.class)
public class LakeTimeRangeReadTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline writer = TestPipeline.create();
  @Rule public final transient TestPipeline reader = TestPipeline.create();

  private static final RawEvent DAY_BEFORE = event("s", "2026-03-09T10:45:00Z", "day before");
  private static final RawEvent HOUR_BEFORE = event("s", "2026-03-10T09:59:59.999Z", "hour before");
  private static final RawEvent SAME_HOUR_BEFORE = event("s", "2026-03-10T10:29:59.999Z", "early");
  private static final RawEvent AT_FROM = event("s", "2026-03-10T10:30:00Z", "at from");
  private static final RawEvent INSIDE = event("s", "2026-03-10T11:15:00Z", "inside");
  private static final RawEvent BEFORE_TO = event("s", "2026-03-10T11:59:59.999Z", "before to");
  private static final RawEvent AT_TO = event("s", "2026-03-10T12:00:00Z", "at to");
  private static final RawEvent DAY_AFTER = event("s", "2026-03-11T10:45:00Z", "day after");

  private static final Instant FROM = Instant.parse("2026-03-10T10:30:00Z");
  private static final Instant TO = Instant.parse("2026-03-10T12:00:00Z");

  private String root() {
    return tmp.getRoot().getAbsolutePath();
  }

  private void writeAll() {
    writer
        .apply(
            Create.of(
                DAY_BEFORE, HOUR_BEFORE, SAME_HOUR_BEFORE, AT_FROM, INSIDE, BEFORE_TO, AT_TO,
                DAY_AFTER))
        .apply(RawLakeWrite.create().withRoot(root()).withPipelineName("p"));
    writer.run().waitUntilFinish();
  }

  private PCollection<RawEvent> read(Instant from, Instant to) {
    return reader.apply(
        RawLakeRead.create().withRoot(root()).withPipelineName("p").withTimeRange(from, to));
  }

  /** A file that fails the read if anything opens it. */
  private void plantCorruptFile(String partition) throws IOException {
    Path dir = tmp.getRoot().toPath().resolve("raw/p").resolve(partition);
    Files.createDirectories(dir);
    Files.write(dir.resolve("corrupt.avro"), "not avro".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void keepsRecordsFromFromInclusiveToToExclusive() {
    writeAll();

    PAssert.that(read(FROM, TO)).containsInAnyOrder(List.of(AT_FROM, INSIDE, BEFORE_TO));
    reader.run().waitUntilFinish();
  }

  @Test
  public void neverOpensPartitionsOutsideTheRange() throws IOException {
    writeAll();
    plantCorruptFile("dt=2026-03-10/hr=09");
    plantCorruptFile("dt=2026-03-10/hr=12");
    plantCorruptFile("dt=2026-03-09/hr=10");
    plantCorruptFile("dt=2026-03-11/hr=10");

    PAssert.that(read(FROM, TO)).containsInAnyOrder(List.of(AT_FROM, INSIDE, BEFORE_TO));
    reader.run().waitUntilFinish();
  }

  @Test
  public void aRangeWithNoPartitionsReadsNothing() {
    writeAll();

    PAssert.that(read(Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2027-01-02T00:00:00Z")))
        .empty();
    reader.run().waitUntilFinish();
  }
}
