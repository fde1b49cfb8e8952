package railyard.io.sql;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Arrays;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.catalog.FileCatalog;

/** SQL over the catalogued warehouse: one view per table, partition pruning, evolved schemas. */
@RunWith(JUnit4.class)
public class WarehouseSqlTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private String root() {
    return folder.getRoot().toPath().resolve("warehouse").toString();
  }

  private WarehouseSql open() throws Exception {
    return WarehouseSql.open(FileCatalog.at(root()), SqlLimits.interactive());
  }

  @Test
  public void everyCataloguedTableIsAView() throws Exception {
    SqlWarehouse.twoDays(root());
    try (WarehouseSql sql = open()) {
      assertThat(sql.tables(), contains("orders"));
      SqlResult result = sql.query("SELECT count(*), sum(amount) FROM orders");
      assertThat(result.rows(), contains(Arrays.<Object>asList(3L, 22.5)));
    }
  }

  @Test
  public void partitionColumnDtIsADate() throws Exception {
    SqlWarehouse.twoDays(root());
    try (WarehouseSql sql = open()) {
      SqlResult result =
          sql.query("SELECT dt, count(*) FROM orders GROUP BY dt ORDER BY dt");
      assertThat(
          result.rows(),
          contains(Arrays.<Object>asList("2026-01-01", 2L), Arrays.<Object>asList("2026-01-02", 1L)));
    }
  }

  @Test
  public void aFilterOnDtReadsOnlyThatPartitionsFiles() throws Exception {
    SqlWarehouse.twoDays(root());
    try (WarehouseSql sql = open()) {
      String plan =
          sql.query("EXPLAIN ANALYZE SELECT order_id FROM orders WHERE dt = DATE '2026-01-02'")
              .rows().get(0).get(1).toString();
      assertThat(plan, containsString("Scanning Files: 1/2"));
      assertThat(plan, containsString("Total Files Read: 1"));
      assertThat(
          sql.query("SELECT order_id FROM orders WHERE dt = DATE '2026-01-02'").rows(),
          contains(List.<Object>of("b1")));
    }
  }

  @Test
  public void anEvolvedSchemaReadsOldPartitionsWithNullInTheNewColumn() throws Exception {
    SqlWarehouse.twoDays(root());
    SqlWarehouse.write(
        root(),
        SqlWarehouse.V2,
        List.of(SqlWarehouse.order(SqlWarehouse.V2, "c1", 3.0, "SPRING", "2026-01-03T08:00:00Z")));
    try (WarehouseSql sql = open()) {
      SqlResult result = sql.query("SELECT order_id, amount, coupon FROM orders ORDER BY order_id");
      assertThat(
          result.rows(),
          contains(
              Arrays.<Object>asList("a1", 10.0, null),
              Arrays.<Object>asList("a2", 5.5, null),
              Arrays.<Object>asList("b1", 7.0, null),
              Arrays.<Object>asList("c1", 3.0, "SPRING")));
    }
  }

  @Test
  public void aTableWithNoFilesYetIsAnEmptyViewOfItsColumns() throws Exception {
    FileCatalog.at(root()).register(SqlWarehouse.V2, "orders-pipeline", "orders.yaml");
    try (WarehouseSql sql = open()) {
      SqlResult result = sql.query("SELECT order_id, coupon, dt FROM orders");
      assertThat(result.columns(), contains("order_id", "coupon", "dt"));
      assertThat(result.rows().size(), equalTo(0));
    }
  }

  @Test
  public void rowsStopAtTheRowLimit() throws Exception {
    SqlWarehouse.twoDays(root());
    try (WarehouseSql sql =
        WarehouseSql.open(
            FileCatalog.at(root()), new SqlLimits(2, java.time.Duration.ofSeconds(5), "128MB"))) {
      SqlResult result = sql.query("SELECT order_id FROM orders ORDER BY order_id");
      assertThat(result.rows().size(), equalTo(2));
      assertThat(result.truncated(), equalTo(true));
    }
  }
}
