package railyard.io.sql;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertThrows;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.catalog.FileCatalog;

/**
 * The read-only session the query API serves, under hostile queries: it cannot write anywhere,
 * cannot read outside the warehouse, cannot change its own settings, and stops at its limits.
 */
@RunWith(JUnit4.class)
public class ReadOnlySqlTest {
  private static final SqlLimits LIMITS = new SqlLimits(100, Duration.ofSeconds(2), "128MB");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path warehouse;
  private Path outside;

  @Before
  public void setUp() throws Exception {
    warehouse = folder.getRoot().toPath().resolve("warehouse");
    SqlWarehouse.twoDays(warehouse.toString());
    // A Parquet file next to the warehouse, not in it: readable to DuckDB at large, not here.
    outside = folder.getRoot().toPath().resolve("elsewhere/secret.parquet");
    Files.createDirectories(outside.getParent());
    try (WarehouseSql full = WarehouseSql.open(FileCatalog.at(warehouse.toString()), LIMITS)) {
      full.query("COPY (SELECT 'top secret' AS s) TO '" + outside + "' (FORMAT parquet)");
    }
  }

  private WarehouseSql open() throws Exception {
    return WarehouseSql.openReadOnly(FileCatalog.at(warehouse.toString()), LIMITS);
  }

  private Exception refused(String query) throws Exception {
    try (WarehouseSql sql = open()) {
      return assertThrows(Exception.class, () -> sql.query(query));
    }
  }

  private List<Path> warehouseFiles() throws Exception {
    try (Stream<Path> files = Files.walk(warehouse)) {
      return files.sorted().toList();
    }
  }

  @Test
  public void theWarehouseViewsAreReadable() throws Exception {
    try (WarehouseSql sql = open()) {
      assertThat(sql.query("SELECT count(*) FROM orders WHERE dt = DATE '2026-01-01'").rows(),
          equalTo(List.of(List.<Object>of(2L))));
    }
  }

  @Test
  public void statementsOtherThanOneSelectAreRefusedBeforeTheyRun() throws Exception {
    List<Path> before = warehouseFiles();
    for (String hostile :
        List.of(
            "CREATE TABLE stolen AS SELECT * FROM orders",
            "CREATE TEMP TABLE t AS SELECT 1",
            "INSERT INTO orders VALUES (1)",
            "DROP VIEW orders",
            "CREATE OR REPLACE VIEW orders AS SELECT 1",
            "COPY (SELECT * FROM orders) TO '" + warehouse + "/orders/dt=2026-01-01/evil.parquet'",
            "COPY orders FROM '/etc/passwd'",
            "ATTACH '" + folder.getRoot() + "/other.duckdb' AS other",
            "INSTALL httpfs",
            "LOAD httpfs",
            "SET enable_external_access = true",
            "PRAGMA enable_profiling",
            "SELECT 1; DROP VIEW orders",
            "EXPORT DATABASE '" + folder.getRoot() + "/dump'")) {
      Exception e = refused(hostile);
      assertThat(hostile, e, org.hamcrest.Matchers.instanceOf(SqlLimitException.class));
    }
    assertThat(warehouseFiles(), equalTo(before));
    assertThat(new File(folder.getRoot(), "other.duckdb").exists(), equalTo(false));
    assertThat(new File(folder.getRoot(), "dump").exists(), equalTo(false));
  }

  @Test
  public void filesOutsideTheWarehouseCannotBeRead() throws Exception {
    for (String hostile :
        List.of(
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM '/etc/passwd'",
            "SELECT * FROM read_text('/etc/passwd')",
            "SELECT * FROM read_parquet('" + outside + "')",
            "SELECT * FROM read_parquet('" + warehouse + "/../elsewhere/secret.parquet')",
            "SELECT * FROM glob('/etc/*')")) {
      Exception e = refused(hostile);
      assertThat(hostile, e, org.hamcrest.Matchers.instanceOf(SQLException.class));
      assertThat(hostile, e.getMessage(), org.hamcrest.Matchers.anyOf(containsString("Permission Error"), containsString("Table with name /etc/passwd does not exist")));
    }
  }

  @Test
  public void theEnvironmentCannotBeRead() throws Exception {
    Exception e = refused("SELECT getenv('HOME')");
    assertThat(e, org.hamcrest.Matchers.instanceOf(SQLException.class));
  }

  @Test
  public void aQueryThatRunsForeverIsStoppedAtTheTimeLimit() throws Exception {
    long started = System.nanoTime();
    Exception e = refused("SELECT count(*) FROM range(1000000000000) a, range(10) b");
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(e, org.hamcrest.Matchers.instanceOf(SqlLimitException.class));
    assertThat(e.getMessage(), containsString("time limit of 2000 ms"));
    assertThat(millis, lessThan(6_000L));
  }

  @Test
  public void aHugeResultStopsAtTheRowLimit() throws Exception {
    try (WarehouseSql sql = open()) {
      long started = System.nanoTime();
      SqlResult result = sql.query("SELECT * FROM range(1000000000000)");
      assertThat(result.rows().size(), equalTo(100));
      assertThat(result.truncated(), equalTo(true));
      assertThat((System.nanoTime() - started) / 1_000_000, lessThan(2_000L));
    }
  }
}
