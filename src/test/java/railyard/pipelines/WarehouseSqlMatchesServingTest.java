package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.catalog.FileCatalog;
import railyard.io.serving.ServingStore;
import railyard.io.sql.SqlLimits;
import railyard.io.sql.WarehouseSql;
import railyard.model.ServingRow;

/**
 * The two roads to an answer agree: SQL over the warehouse a job wrote gives, for every window of
 * the spec's one-minute view, the same count, sum, min, max and distinct users the job served,
 * after a batch run and after a streaming run.
 */
@RunWith(JUnit4.class)
public class WarehouseSqlMatchesServingTest {
  private static final String VIEW = "by_country_1m";
  private static final String BY_COUNTRY_AND_MINUTE =
      "SELECT country, (epoch_ms(_event_time) // 60000) * 60000 AS window_start, count(*),"
          + " sum(amount), min(amount), max(amount), count(DISTINCT user_id)"
          + " FROM orders GROUP BY ALL";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static String figures(Object count, Object sum, Object min, Object max, Object distinct) {
    return String.format(
        "events=%s revenue=%s smallest=%s largest=%s buyers=%s",
        count, rounded(sum), rounded(min), rounded(max), rounded(distinct));
  }

  private static String rounded(Object value) {
    return value == null ? "-" : String.format("%.4f", ((Number) value).doubleValue());
  }

  private static Map<String, String> fromWarehouse(File out) throws Exception {
    Map<String, String> windows = new TreeMap<>();
    FileCatalog catalog = FileCatalog.at(new File(out, "warehouse").toString());
    try (WarehouseSql sql =
        WarehouseSql.open(catalog, new SqlLimits(100_000, java.time.Duration.ofSeconds(60), "512MB"))) {
      for (List<Object> row : sql.query(BY_COUNTRY_AND_MINUTE).rows()) {
        windows.put(
            row.get(0) + "@" + row.get(1),
            figures(row.get(2), row.get(3), row.get(4), row.get(5), row.get(6)));
      }
    }
    return windows;
  }

  private static Map<String, String> fromServing(File out) {
    Map<String, String> windows = new TreeMap<>();
    try (ServingStore store = ServingStore.open(new File(out, "serving.db").toString())) {
      for (ServingRow row : store.readMerged(VIEW)) {
        Map<String, Double> m = row.metrics();
        windows.put(
            row.key() + "@" + row.windowStart(),
            figures(row.eventCount(), m.get("revenue"), m.get("smallest"), m.get("largest"), m.get("buyers")));
      }
    }
    return windows;
  }

  private void assertSqlMatchesServing(String mode) throws Exception {
    File out = folder.newFolder("out");
    JobRun.run(CatalogJobTest.SPEC, out, "--mode=" + mode);
    Map<String, String> warehouse = fromWarehouse(out);
    assertThat(warehouse.size(), greaterThan(20));
    assertThat(warehouse, equalTo(fromServing(out)));
  }

  @Test
  public void afterABatchRun() throws Exception {
    assertSqlMatchesServing("batch");
  }

  @Test
  public void afterAStreamingRun() throws Exception {
    assertSqlMatchesServing("streaming");
  }
}
