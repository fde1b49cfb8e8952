package railyard.io.catalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.sql.SqlWarehouse;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/** The file catalog's entries: write-once, safe for concurrent writers, checked on register. */
@RunWith(JUnit4.class)
public class FileCatalogTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private FileCatalog catalog() {
    return FileCatalog.at(folder.getRoot().toString());
  }

  private static FileEntry entry(String file, long rows) {
    return new FileEntry(file, file.substring(0, file.indexOf('/')), rows, 100, 1L, 2L, 1, "now");
  }

  /** Runs {@code task} on 8 threads at once; returns what each threw, or null. */
  private static List<Throwable> atOnce(Callable<Void> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(task));
      }
      List<Throwable> thrown = new ArrayList<>();
      for (Future<Void> future : futures) {
        try {
          future.get(30, TimeUnit.SECONDS);
          thrown.add(null);
        } catch (java.util.concurrent.ExecutionException e) {
          thrown.add(e.getCause());
        }
      }
      return thrown;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void concurrentRunsRegisteringOneVersionLeaveOneEntry() throws Exception {
    List<Throwable> thrown =
        atOnce(() -> {
          catalog().register(SqlWarehouse.V2, "orders", "orders.yaml");
          return null;
        });
    assertThat(thrown, contains(null, null, null, null, null, null, null, null));
    assertThat(catalog().versions("orders").stream().map(SchemaVersion::version).toList(), contains(1, 2));
  }

  @Test
  public void concurrentRecordsOfOneFileLeaveOneEntry() throws Exception {
    catalog().register(SqlWarehouse.V1, "orders", "orders.yaml");
    atOnce(() -> {
      catalog().record("orders", entry("dt=2026-01-01/a.parquet", 5));
      return null;
    });
    catalog().record("orders", entry("dt=2026-01-02/a.parquet", 7));
    assertThat(catalog().files("orders"), hasSize(2));
    assertThat(catalog().describe("orders").rows(), equalTo(12L));
  }

  @Test
  public void aSecondRunWithAnotherSchemaForTheSameVersionIsRefused() {
    catalog().register(SqlWarehouse.V1, "orders", "orders.yaml");
    DeclaredSchema retyped =
        new DeclaredSchema(
            "orders",
            1,
            List.of(
                FieldSpec.of("order_id", FieldKind.STRING).asRequired(),
                FieldSpec.of("amount", FieldKind.STRING)));
    IncompatibleSchemaException e =
        assertThrows(IncompatibleSchemaException.class, () -> catalog().register(retyped, "orders", "b.yaml"));
    assertThat(e.getMessage(), containsString("field 'amount' changes type from double to string"));
  }

  @Test
  public void aSpecOlderThanTheCatalogIsRefused() {
    catalog().register(SqlWarehouse.V2, "orders", "orders.yaml");
    IncompatibleSchemaException e =
        assertThrows(IncompatibleSchemaException.class, () -> catalog().checkCompatible(SqlWarehouse.V1));
    assertThat(e.getMessage(), containsString("holds schema version 2, newer than the spec's version 1"));
  }

  @Test
  public void describingAnUnknownTableNamesTheTables() {
    catalog().register(SqlWarehouse.V1, "orders", "orders.yaml");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> catalog().describe("nope"));
    assertThat(e.getMessage(), containsString("no table 'nope'"));
    assertThat(e.getMessage(), containsString("[orders]"));
  }

  @Test
  public void onlyALocalWarehouseHasAFileCatalog() {
    assertThat(FileCatalog.supports("railyard-out/warehouse"), equalTo(true));
    assertThat(FileCatalog.supports("/data/warehouse"), equalTo(true));
    assertThat(FileCatalog.supports("gs://bucket/warehouse"), equalTo(false));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FileCatalog.at("s3://bucket/warehouse"));
    assertThat(e.getMessage(), containsString("local or mounted"));
  }
}
