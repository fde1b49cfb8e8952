package railyard.io.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.serving.ServingStore;
import railyard.io.sql.SqlWarehouse;

/**
 * {@code GET /v1/sql} over real sockets on 127.0.0.1: read-only SQL over the catalogued
 * warehouse that cannot write, cannot read outside the warehouse and stops at its limits.
 */
public class SqlApiTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path warehouse;
  private String serving;
  private QueryServer server;
  private QueryClient client;

  @Before
  public void start() throws Exception {
    serving = folder.getRoot().toPath().resolve("serving.db").toString();
    try (ServingStore store = ServingStore.open(serving)) {
      store.upsert(List.of(QueryRows.speed("orders", "a", 0, "ON_TIME", 1)));
    }
    warehouse = folder.getRoot().toPath().resolve("warehouse");
    SqlWarehouse.twoDays(warehouse.toString());
    server = QueryServer.start(QueryConfig.loopback(serving, 0).withWarehouse(warehouse.toString()));
    client = new QueryClient(server.uri());
  }

  @After
  public void stop() {
    server.close();
  }

  private QueryClient.Answer sql(String query, String... more) {
    return client.get("/v1/sql?q=" + QueryClient.encode(query) + String.join("", more));
  }

  private List<Path> warehouseFiles() throws Exception {
    try (Stream<Path> files = Files.walk(warehouse)) {
      return files.sorted().toList();
    }
  }

  @Test
  public void aSelectAnswersColumnsAndRows() {
    QueryClient.Answer answer =
        sql("SELECT dt, count(*) AS orders, sum(amount) AS amount FROM orders GROUP BY dt ORDER BY dt");
    assertThat(answer.status(), is(200));
    JsonNode json = answer.json();
    assertThat(json.at("/columns/0/name").asText(), is("dt"));
    assertThat(json.at("/columns/0/type").asText(), is("DATE"));
    assertThat(json.get("rows").toString(), is("[[\"2026-01-01\",2,15.5],[\"2026-01-02\",1,7.0]]"));
    assertThat(json.get("truncated").asBoolean(), is(false));
  }

  @Test
  public void writesAreRefusedAndChangeNothing() throws Exception {
    List<Path> before = warehouseFiles();
    for (String hostile :
        List.of(
            "DROP VIEW orders",
            "CREATE TABLE x AS SELECT 1",
            "COPY (SELECT * FROM orders) TO '" + warehouse + "/orders/dt=2026-01-01/x.parquet'",
            "ATTACH '" + folder.getRoot() + "/x.duckdb'",
            "INSTALL httpfs",
            "LOAD httpfs",
            "SET lock_configuration = false",
            "SELECT 1; DROP VIEW orders")) {
      QueryClient.Answer answer = sql(hostile);
      assertThat(hostile, answer.status(), is(400));
      assertThat(hostile, answer.json().get("error").asText(), containsString("SELECT"));
    }
    assertThat(warehouseFiles(), equalTo(before));
    assertThat(sql("SELECT count(*) FROM orders").json().get("rows").toString(), is("[[3]]"));
  }

  @Test
  public void filesOutsideTheWarehouseCannotBeRead() {
    for (String hostile :
        List.of(
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM read_text('" + warehouse + "/../../../../etc/passwd')",
            "SELECT * FROM '/etc/passwd'")) {
      QueryClient.Answer answer = sql(hostile);
      assertThat(hostile, answer.status(), is(400));
      assertThat(hostile, answer.response().body(), not(containsString("root:")));
      assertThat(hostile, answer.json().get("error").asText(), org.hamcrest.Matchers.anyOf(containsString("Permission Error"), containsString("Table with name /etc/passwd does not exist")));
    }
  }

  @Test
  public void aQueryThatRunsForeverStopsAtTheTimeLimit() {
    long started = System.nanoTime();
    QueryClient.Answer answer = sql("SELECT count(*) FROM range(1000000000000) a, range(10) b");
    assertThat(answer.status(), is(400));
    assertThat(answer.json().get("error").asText(), containsString("time limit"));
    assertThat((System.nanoTime() - started) / 1_000_000, lessThan(SqlApi.TIMEOUT.toMillis() + 5_000));
  }

  @Test
  public void aHugeResultStopsAtTheRowLimit() {
    QueryClient.Answer answer = sql("SELECT * FROM range(1000000000000)", "&limit=50");
    assertThat(answer.status(), is(200));
    assertThat(answer.json().get("rows").size(), is(50));
    assertThat(answer.json().get("truncated").asBoolean(), is(true));
  }

  @Test
  public void aLimitBeyondTheMaximumIsABadRequest() {
    assertThat(sql("SELECT 1", "&limit=10001").status(), is(400));
  }

  @Test
  public void withTokensSqlNeedsOne() throws Exception {
    Path tokens = folder.newFile("tokens").toPath();
    Files.writeString(tokens, "sql-secret\n");
    try (QueryServer guarded =
        QueryServer.start(
            QueryConfig.parse(
                "--serving=" + serving, "--port=0", "--tokens=" + tokens, "--warehouse=" + warehouse))) {
      QueryClient guardedClient = new QueryClient(guarded.uri());
      String path = "/v1/sql?q=" + QueryClient.encode("SELECT 1");
      assertThat(guardedClient.get(path).status(), is(401));
      assertThat(guardedClient.get(path, "Authorization", "Bearer sql-secret").status(), is(200));
    }
  }

  @Test
  public void withoutAWarehouseSqlIsNotServed() throws Exception {
    try (QueryServer plain = QueryServer.start(QueryConfig.loopback(serving, 0))) {
      QueryClient.Answer answer = new QueryClient(plain.uri()).get("/v1/sql?q=SELECT+1");
      assertThat(answer.status(), is(404));
      assertThat(answer.json().get("error").asText(), containsString("--warehouse"));
    }
  }
}
