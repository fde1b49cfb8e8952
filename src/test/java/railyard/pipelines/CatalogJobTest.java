package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.catalog.FileCatalog;
import railyard.io.catalog.FileEntry;
import railyard.io.catalog.TableDescription;

/**
 * The catalog a run leaves next to its warehouse lists exactly the Parquet files on disk, with
 * the rows a Parquet reader finds in each, in batch and in streaming.
 */
@RunWith(JUnit4.class)
public class CatalogJobTest {
  static final String SPEC = "src/test/resources/specs/catalogued.yaml";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static Map<String, Long> cataloguedRows(FileCatalog catalog) {
    Map<String, Long> rows = new TreeMap<>();
    for (FileEntry entry : catalog.files("orders")) {
      rows.put(entry.file(), entry.rows());
    }
    return rows;
  }

  private void assertCatalogMatchesFiles(File out, RunSummary run) throws Exception {
    Path table = out.toPath().resolve("warehouse/orders");
    FileCatalog catalog = FileCatalog.at(out.toPath().resolve("warehouse").toString());
    TableDescription described = catalog.describe("orders");

    assertThat(cataloguedRows(catalog), equalTo(OutputFiles.parquetRowsByFile(table)));
    assertThat(described.rows(), equalTo(run.counter("unique")));
    assertThat(
        described.partitions().stream().map(TableDescription.Partition::name).toList(),
        contains("dt=2026-03-01", "dt=2026-03-02"));
    assertThat(described.current().version(), equalTo(1));
    assertThat(described.current().specFile(), equalTo(SPEC));
  }

  @Test
  public void batchRunCataloguesEveryFileItWrote() throws Exception {
    File out = folder.newFolder("out");
    RunSummary run = JobRun.run(SPEC, out, "--mode=batch");
    assertCatalogMatchesFiles(out, run);
  }

  @Test
  public void streamingRunCataloguesEveryFileItWrote() throws Exception {
    File out = folder.newFolder("out");
    RunSummary run = JobRun.run(SPEC, out, "--mode=streaming");
    assertCatalogMatchesFiles(out, run);
  }

  @Test
  public void catalogCommandDescribesTheTable() throws Exception {
    File out = folder.newFolder("out");
    JobRun.run(SPEC, out, "--mode=batch");
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    java.io.PrintStream print = new java.io.PrintStream(text, true, "UTF-8");
    String warehouse = "--warehouse=" + new File(out, "warehouse");

    assertThat(Railyard.dispatch(new String[] {"catalog", "describe", "orders", warehouse}, print, print), equalTo(0));
    assertThat(text.toString("UTF-8"), org.hamcrest.Matchers.containsString("dt=2026-03-02"));
    assertThat(
        Railyard.dispatch(new String[] {"catalog", "describe", "nope", warehouse}, print, print),
        equalTo(2));
    assertThat(text.toString("UTF-8"), org.hamcrest.Matchers.containsString("no table 'nope'"));
  }
}
