package railyard.io.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.metrics.PrometheusText;
import railyard.io.query.QueryClient.Answer;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;

/** The query service's Prometheus {@code /metrics}, scraped over loopback. */
public class QueryMetricsTest {
  private static final String REQUESTS = "http_server_requests_seconds_count";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private QueryServer server;

  @After
  public void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String serving() {
    return folder.getRoot().toPath().resolve("serving.db").toString();
  }

  private QueryClient start(QueryConfig config) throws Exception {
    try (ServingStore store = ServingStore.open(serving())) {
      store.upsert(
          List.of(
              QueryRows.speed("orders", "a", 0, "ON_TIME", 3),
              QueryRows.speed("orders", "b", 0, "ON_TIME", 4),
              QueryRows.speed("orders", "a", 1, "EARLY", 1),
              QueryRows.speed("clicks", "x", 0, "EARLY", 2)));
    }
    server = QueryServer.start(config);
    return new QueryClient(server.uri());
  }

  private static PrometheusText scrape(QueryClient client, String... headers) {
    Answer answer = client.get("/metrics", headers);
    assertThat(answer.body(), answer.status(), is(200));
    assertThat(answer.header("content-type"), startsWith("text/plain; version=0.0.4"));
    return new PrometheusText(answer.body());
  }

  @Test
  public void countsRequestsByRouteTemplateMethodAndStatus() throws Exception {
    QueryClient client = start(QueryConfig.loopback(serving(), 0));
    PrometheusText before = scrape(client);

    client.get("/v1/views/orders/latest");
    client.get("/v1/views/clicks/latest");
    client.get("/v1/views/nothing/latest");
    client.get("/v1/freshness");
    PrometheusText after = scrape(client);

    String latest = "/v1/views/{view}/latest";
    assertThat(
        after.value(REQUESTS, "route", latest, "method", "GET", "status", "200")
            - before.value(REQUESTS, "route", latest, "method", "GET", "status", "200"),
        equalTo(2.0));
    assertThat(
        after.value(REQUESTS, "route", latest, "method", "GET", "status", "404")
            - before.value(REQUESTS, "route", latest, "method", "GET", "status", "404"),
        equalTo(1.0));
    assertThat(after.value(REQUESTS, "route", "/v1/freshness", "status", "200"), equalTo(1.0));
    assertThat(
        "the first scrape is counted by the second",
        after.value(REQUESTS, "route", "/metrics", "status", "200"),
        equalTo(1.0));
  }

  @Test
  public void timesRequestsIntoLatencyBuckets() throws Exception {
    QueryClient client = start(QueryConfig.loopback(serving(), 0));

    client.get("/v1/views");
    client.get("/v1/views");
    PrometheusText metrics = scrape(client);

    String[] views = {"route", "/v1/views", "status", "200"};
    assertThat(metrics.value("http_server_requests_seconds_bucket", concat(views, "le", "+Inf")), equalTo(2.0));
    assertThat(metrics.value("http_server_requests_seconds_sum", views) > 0, is(true));
  }

  @Test
  public void reportsServingRowsAndNewestWindowAgePerView() throws Exception {
    QueryClient client = start(QueryConfig.loopback(serving(), 0));

    PrometheusText metrics = scrape(client);

    assertThat(metrics.value("railyard_serving_rows", "view", "orders"), equalTo(3.0));
    assertThat(metrics.value("railyard_serving_rows", "view", "clicks"), equalTo(1.0));
    double expectedAge = (System.currentTimeMillis() - QueryRows.start(2)) / 1000.0;
    assertThat(
        metrics.value("railyard_serving_newest_window_age_seconds", "view", "orders"),
        closeTo(expectedAge, 30));
  }

  @Test
  public void aViewWhoseNewestWindowIsStillOpenIsZeroSecondsBehind() throws Exception {
    QueryClient client = start(QueryConfig.loopback(serving(), 0));
    long now = System.currentTimeMillis();
    try (ServingStore store = ServingStore.open(serving(), java.util.Set.of("sessions"))) {
      // An open session: its end is its last event plus the gap, still in the future.
      store.upsert(
          List.of(
              new ServingRow("sessions", "u1", now - 60_000, now + 600_000, Map.of("n", 4.0), 4,
                  ServingRow.Layer.SPEED, "EARLY", 0, now)));
    }

    assertThat(
        scrape(client).value("railyard_serving_newest_window_age_seconds", "view", "sessions"),
        equalTo(0.0));
  }

  @Test
  public void sqlAndAlertsRequestsAreLabelledWithTheirRoutes() throws Exception {
    QueryClient client = start(QueryConfig.loopback(serving(), 0));

    client.get("/v1/sql?q=" + QueryClient.encode("SELECT 1"));
    client.get("/v1/alerts");
    PrometheusText metrics = scrape(client);

    assertThat(metrics.value(REQUESTS, "route", "/v1/sql", "method", "GET"), equalTo(1.0));
    assertThat(metrics.value(REQUESTS, "route", "/v1/alerts", "method", "GET"), equalTo(1.0));
    assertThat(metrics.value(REQUESTS, "route", "other", "method", "GET"), equalTo(0.0));
  }

  @Test
  public void seesRowsWrittenAfterTheServiceStarted() throws Exception {
    QueryClient client = start(QueryConfig.loopback(serving(), 0));
    assertThat(scrape(client).has("railyard_serving_rows"), is(true));

    try (ServingStore store = ServingStore.open(serving())) {
      store.upsert(List.of(QueryRows.speed("signups", "z", 0, "ON_TIME", 1)));
    }

    assertThat(scrape(client).value("railyard_serving_rows", "view", "signups"), equalTo(1.0));
  }

  @Test
  public void withTokensAScrapeNeedsOne() throws Exception {
    Path tokens = folder.newFile("tokens").toPath();
    Files.writeString(tokens, "scraper-secret\n");
    QueryClient client =
        start(QueryConfig.parse("--serving=" + serving(), "--port=0", "--tokens=" + tokens));

    assertThat(client.get("/metrics").status(), is(401));
    assertThat(
        scrape(client, "Authorization", "Bearer scraper-secret").value("railyard_serving_rows", "view", "orders"),
        equalTo(3.0));
  }

  private static String[] concat(String[] labels, String... more) {
    String[] all = new String[labels.length + more.length];
    System.arraycopy(labels, 0, all, 0, labels.length);
    System.arraycopy(more, 0, all, labels.length, more.length);
    return all;
  }
}
