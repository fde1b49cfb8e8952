package railyard.io.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static railyard.io.lake.LakeFixtures.event;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.files.Partitions;
import railyard.io.files.WrittenFiles;
import railyard.model.RawEvent;

/** The lake's layout: {@code raw/<pipeline>/dt=YYYY-MM-DD/hr=HH/<unique>.avro}, by UTC receipt. */
@RunWith(JUnit4.class)
public class LakePartitionLayoutTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final List<RawEvent> EVENTS =
      List.of(
          event("a", "2026-01-01T23:59:59.999Z", "last ms of the day"),
          event("b", "2026-01-02T00:00:00.000Z", "first ms of the next"),
          event("c", "2026-01-02T05:30:00.000Z", "x"),
          event("d", "2026-01-02T05:45:00.000Z", "y"));

  private Path lakeOf(String pipelineName) {
    return tmp.getRoot().toPath().resolve("raw").resolve(pipelineName);
  }

  private void write() {
    pipeline
        .apply(Create.of(EVENTS))
        .apply(
            RawLakeWrite.create()
                .withRoot(tmp.getRoot().getAbsolutePath())
                .withPipelineName("orders"));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void filesLandInTheUtcHourOfTheirReceipt() {
    write();

    assertThat(
        WrittenFiles.partitionsUnder(lakeOf("orders")),
        contains("dt=2026-01-01/hr=23", "dt=2026-01-02/hr=00", "dt=2026-01-02/hr=05"));
  }

  @Test
  public void everyRecordInAFileBelongsToThatFilesPartition() {
    write();

    for (String file : WrittenFiles.under(lakeOf("orders"))) {
      List<RawEvent> events = LakeFixtures.readAvroFile(lakeOf("orders").resolve(file).toFile());
      for (RawEvent event : events) {
        assertThat(file, Partitions.hourly(event.receivedAt()), is(WrittenFiles.partitionOf(file)));
      }
    }
  }

  @Test
  public void onlyAvroFilesWithUniqueNamesAreLeftBehind() {
    write();

    List<String> files = WrittenFiles.under(lakeOf("orders"));
    assertThat(files, everyItem(endsWith(".avro")));
    assertThat(
        files,
        everyItem(
            matchesPattern(
                "dt=\\d{4}-\\d{2}-\\d{2}/hr=\\d{2}/[0-9a-f-]{36}-global-p0-\\d{5}-of-\\d{5}\\.avro")));
  }
}
