package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.io.File;
import java.nio.file.Files;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.fileimport.LandImportedEvents;
import railyard.io.serving.PostgresDatabase;
import railyard.io.warehouse.LeaveOutRowsWrittenBefore;
import railyard.transforms.RailyardMetrics;

/**
 * Running the same import again — after a run that failed late, or twice by mistake — leaves each
 * imported line once in the raw lake and each rejected line once among the dead letters.
 */
@RunWith(JUnit4.class)
public class ImportRerunTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  private static final String LINES =
      String.join(
          "\n",
          "{\"id\":\"a\",\"shop\":\"north\",\"total\":10.5,\"ts\":\"2026-03-01T10:00:00Z\"}",
          "{\"id\":\"b\",\"shop\":\"south\",\"total\":4.5,\"ts\":\"2026-03-01T10:00:01Z\"}",
          "not json",
          "not json",
          "{\"id\":\"c\"}",
          "");

  private File spec(File events) throws Exception {
    Files.writeString(events.toPath(), LINES);
    // Within the spec's allowed skew of a day from the file's receipt.
    events.setLastModified(java.time.Instant.parse("2026-03-01T10:05:00Z").toEpochMilli());
    return FileImportSpecs.orders(folder, events);
  }

  @Test
  public void aRerunAfterARunThatFailedAtTheServingStoreLandsEachLineOnce() throws Exception {
    File spec = spec(folder.newFile("orders.jsonl"));
    File out = folder.newFolder("out");
    String refused =
        database.location().replaceFirst("user=[^&]*", "user=no_such_role&password=wrong");
    assertThrows(
        RuntimeException.class,
        () -> JobRun.run(spec.getPath(), out, "--mode=batch", "--runner=DirectRunner", "--serving=" + refused));

    RunSummary rerun = JobRun.run(spec.getPath(), out, "--mode=batch", "--runner=DirectRunner");

    assertThat(rerun.counter(RailyardMetrics.RECEIVED), is(5L));
    assertThat(OutputFiles.avroRecords(out.toPath().resolve("lake/raw")), is(5L));
    assertThat(DeadLetterSqlTest.deadLetters(spec.getPath(), out), is(3L));
  }

  @Test
  public void theSameImportRunTwiceLandsEachLineOnce() throws Exception {
    File spec = spec(folder.newFile("orders.jsonl"));
    File out = folder.newFolder("out");

    RunSummary first = JobRun.run(spec.getPath(), out, "--mode=batch", "--runner=DirectRunner");
    RunSummary second = JobRun.run(spec.getPath(), out, "--mode=batch", "--runner=DirectRunner");

    assertThat(first.counter(LandImportedEvents.LANDED_BEFORE), is(0L));
    assertThat(second.counter(LandImportedEvents.LANDED_BEFORE), is(5L));
    assertThat(OutputFiles.avroRecords(out.toPath().resolve("lake/raw")), is(5L));
    assertThat(DeadLetterSqlTest.deadLetters(spec.getPath(), out), is(3L));
  }

  @Test
  public void theSameImportRunTwiceWritesEachWarehouseRowOnce() throws Exception {
    File spec = spec(folder.newFile("orders.jsonl"));
    File out = folder.newFolder("out");

    RunSummary first = JobRun.run(spec.getPath(), out, "--mode=batch", "--runner=DirectRunner");
    RunSummary second = JobRun.run(spec.getPath(), out, "--mode=batch", "--runner=DirectRunner");

    assertThat(first.counter(LeaveOutRowsWrittenBefore.WRITTEN_BEFORE), is(0L));
    assertThat(first.counter(RailyardMetrics.WAREHOUSE_ROWS_WRITTEN), is(2L));
    assertThat(second.counter(LeaveOutRowsWrittenBefore.WRITTEN_BEFORE), is(2L));
    assertThat(second.counter(RailyardMetrics.WAREHOUSE_ROWS_WRITTEN), is(0L));
    assertThat(OutputFiles.parquetRows(out.toPath().resolve("warehouse")), is(2L));
  }
}
