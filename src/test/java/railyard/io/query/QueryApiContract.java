package railyard.io.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static railyard.io.query.QueryClient.encode;
import static railyard.io.query.QueryRows.batch;
import static railyard.io.query.QueryRows.iso;
import static railyard.io.query.QueryRows.speed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import railyard.io.query.QueryClient.Answer;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;

/**
 * What the query API answers, over a real socket, whatever store it reads. The store is filled
 * through {@link ServingStore} before the server starts; each store's test class extends this.
 *
 * <p>The view {@code orders} has keys a, b, c in one-minute windows 0 to 4 (ON_TIME), a batch row
 * for a in window 1, and window 5 only in an EARLY pane; {@code clicks} has one EARLY row.
 */
public abstract class QueryApiContract {
  protected QueryServer server;
  protected QueryClient client;

  /** Where a fresh, empty store for one test lives. */
  protected abstract String location();

  @Before
  public void fillStoreAndStart() throws Exception {
    List<ServingRow> rows = new ArrayList<>();
    for (int w = 0; w < 5; w++) {
      rows.add(speed("orders", "a", w, "ON_TIME", 10 + w));
      rows.add(speed("orders", "b", w, "ON_TIME", 20 + w));
      rows.add(speed("orders", "c", w, "ON_TIME", 5));
    }
    rows.add(batch("orders", "a", 1, 99));
    for (String key : List.of("a", "b", "c")) {
      rows.add(speed("orders", key, 5, "EARLY", 1));
    }
    rows.add(speed("clicks", "x", 0, "EARLY", 3));
    try (ServingStore store = ServingStore.open(location())) {
      store.upsert(rows);
    }
    server = QueryServer.start(QueryConfig.loopback(location(), 0));
    client = new QueryClient(server.uri());
  }

  @After
  public void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.get(field).asText()));
    return values;
  }

  private static String seriesOf(String view, String query) {
    return "/v1/views/" + view + "/series?" + query;
  }

  @Test
  public void viewsListEachViewWithItsMetricsKeyFormatAndWindows() {
    Answer answer = client.get("/v1/views");

    assertThat(answer.status(), is(200));
    assertThat(answer.header("content-type"), startsWith("application/json"));
    JsonNode views = answer.json().get("views");
    assertThat(texts(views, "name"), contains("clicks", "orders"));
    JsonNode orders = views.get(1);
    assertThat(orders.get("metrics").toString(), is("[\"total_amount\",\"max_amount\"]"));
    assertThat(orders.get("windowLengthsSeconds").toString(), is("[60.0]"));
    assertThat(orders.get("firstWindowStart").asText(), is(iso(0)));
    assertThat(orders.get("lastWindowEnd").asText(), is(iso(6)));
    assertThat(orders.get("key").asText(), containsString("joined by '|'"));
  }

  @Test
  public void seriesGivesTheKeysRowsInTheRangeOrderedByKeyThenWindow() {
    Answer answer =
        client.get(seriesOf("orders", "key=b&key=a&from=" + iso(0) + "&to=" + iso(5)));

    assertThat(answer.status(), is(200));
    JsonNode rows = answer.json().get("rows");
    assertThat(texts(rows, "key"), contains("a", "a", "a", "a", "a", "b", "b", "b", "b", "b"));
    assertThat(
        texts(rows, "windowStart"),
        contains(iso(0), iso(1), iso(2), iso(3), iso(4), iso(0), iso(1), iso(2), iso(3), iso(4)));
    assertThat(answer.json().get("nextPageToken").isNull(), is(true));
  }

  @Test
  public void seriesShowsTheBatchRowWhereOneExists() {
    JsonNode rows =
        client.get(seriesOf("orders", "key=a&from=" + iso(1) + "&to=" + iso(3))).json().get("rows");

    assertThat(texts(rows, "layer"), contains("batch", "speed"));
    assertThat(rows.get(0).get("eventCount").asLong(), is(99L));
    assertThat(rows.get(0).get("metrics").get("total_amount").asDouble(), is(99 * 2.5));
  }

  @Test
  public void seriesPagesFollowOneAnotherToTheSameRowsAsOnePage() {
    String query = "key=a&key=b&key=c&from=" + iso(0) + "&to=" + iso(6);
    JsonNode whole = client.get(seriesOf("orders", query + "&limit=100")).json().get("rows");

    com.fasterxml.jackson.databind.node.ArrayNode paged =
        new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
    String token = null;
    int pages = 0;
    do {
      String url = seriesOf("orders", query + "&limit=4")
          + (token == null ? "" : "&pageToken=" + encode(token));
      JsonNode page = client.get(url).json();
      page.get("rows").forEach(paged::add);
      token = page.get("nextPageToken").isNull() ? null : page.get("nextPageToken").asText();
      pages++;
    } while (token != null && pages < 20);

    assertThat(whole.size(), is(18));
    assertThat(pages, is(5));
    assertThat(paged, equalTo(whole));
  }

  @Test
  public void aPageTokenOfAnotherQueryIsRefused() {
    String token =
        client.get(seriesOf("orders", "key=a&from=" + iso(0) + "&to=" + iso(6) + "&limit=2"))
            .json().get("nextPageToken").asText();

    Answer answer = client.get(seriesOf("orders",
        "key=b&from=" + iso(0) + "&to=" + iso(6) + "&limit=2&pageToken=" + encode(token)));

    assertThat(answer.status(), is(400));
    assertThat(answer.json().get("error").asText(), containsString("another query"));
  }

  @Test
  public void topRanksTheKeysOfOneWindowByEventCount() {
    Answer answer = client.get("/v1/views/orders/top?window=" + iso(4));

    assertThat(answer.status(), is(200));
    JsonNode rows = answer.json().get("rows");
    assertThat(texts(rows, "key"), contains("b", "a", "c"));
    assertThat(texts(rows, "value"), contains("24.0", "14.0", "5.0"));
  }

  @Test
  public void topRanksByAChosenMetricAndKeepsTheFirstN() {
    JsonNode rows =
        client.get("/v1/views/orders/top?window=" + iso(4) + "&metric=max_amount&n=2")
            .json().get("rows");

    assertThat(texts(rows, "key"), contains("c", "a"));
    assertThat(texts(rows, "value"), contains("95.0", "86.0"));
  }

  @Test
  public void topSeesTheBatchRowThroughTheMerge() {
    JsonNode rows = client.get("/v1/views/orders/top?window=" + iso(1) + "&n=1").json().get("rows");

    assertThat(texts(rows, "key"), contains("a"));
    assertThat(texts(rows, "layer"), contains("batch"));
    assertThat(texts(rows, "value"), contains("99.0"));
  }

  @Test
  public void latestIsTheNewestWindowWithAnOnTimeLateOrBatchRow() {
    Answer answer = client.get("/v1/views/orders/latest");

    assertThat(answer.status(), is(200));
    JsonNode latest = answer.json();
    assertThat(latest.get("window").get("start").asText(), is(iso(4)));
    assertThat(latest.get("window").get("end").asText(), is(iso(5)));
    assertThat(texts(latest.get("rows"), "key"), contains("a", "b", "c"));
  }

  @Test
  public void latestOfAViewWithNoCompleteWindowIsEmpty() {
    JsonNode latest = client.get("/v1/views/clicks/latest").json();

    assertThat(latest.get("window").isNull(), is(true));
    assertThat(latest.get("rows").size(), is(0));
  }

  @Test
  public void freshnessGivesEachViewsNewestWindowEndAndComputedAt() {
    Answer answer = client.get("/v1/freshness");

    assertThat(answer.status(), is(200));
    JsonNode views = answer.json().get("views");
    assertThat(texts(views, "view"), contains("clicks", "orders"));
    assertThat(views.get(1).get("newestWindowEnd").asText(), is(iso(6)));
    assertThat(views.get(1).get("newestComputedAt").asText(), is(iso(7)));
    assertThat(views.get(1).get("ageSeconds").asDouble() > 0, is(true));
  }

  @Test
  public void anUnknownViewIsNotFound() {
    for (String path :
        List.of(
            seriesOf("nope", "key=a&from=" + iso(0) + "&to=" + iso(1)),
            "/v1/views/nope/top?window=" + iso(0),
            "/v1/views/nope/latest",
            "/v1/views/" + encode("orders' OR '1'='1") + "/latest")) {
      Answer answer = client.get(path);
      assertThat(path, answer.status(), is(404));
      assertThat(path, answer.json().get("error").asText(), containsString("Unknown view"));
    }
  }

  @Test
  public void aKeyWithSqlInItIsOnlyAValue() {
    Answer answer = client.get(seriesOf("orders",
        "key=" + encode("a' OR '1'='1") + "&key=" + encode("a\"); DROP TABLE serving; --")
            + "&from=" + iso(0) + "&to=" + iso(6)));

    assertThat(answer.status(), is(200));
    assertThat(answer.json().get("rows").size(), is(0));
    assertThat(client.get("/v1/views").json().get("views").size(), is(2));
  }

  @Test
  public void aKeyHoldingANulIsABadRequestNamingTheEscapeWhateverTheStore() {
    Answer answer =
        client.get(seriesOf("orders", "key=a%00b&from=" + iso(0) + "&to=" + iso(6)));

    assertThat(answer.status(), is(400));
    assertThat(answer.header("content-type"), startsWith("application/json"));
    assertThat(answer.json().get("error").asText(), containsString("NUL"));
    assertThat(answer.json().get("error").asText(), containsString("\\0"));
  }

  @Test
  public void aKeyWithAnEscapedNulFindsItsRows() {
    try (ServingStore store = ServingStore.open(location())) {
      store.upsert(List.of(speed("orders", "a\\0b", 0, "ON_TIME", 7)));
    }

    Answer answer =
        client.get(seriesOf("orders", "key=" + encode("a\\0b") + "&from=" + iso(0) + "&to=" + iso(1)));

    assertThat(answer.status(), is(200));
    assertThat(texts(answer.json().get("rows"), "key"), contains("a\\0b"));
  }

  @Test
  public void everyBadRequestIsA4xxWithAJsonErrorAndNoStackTrace() {
    String range = "&from=" + iso(0) + "&to=" + iso(5);
    List<String> badRequests =
        List.of(
            seriesOf("orders", "from=" + iso(0) + "&to=" + iso(5)), // no key
            seriesOf("orders", "key=a&from=yesterday&to=" + iso(5)),
            seriesOf("orders", "key=a&from=2026-13-45T00:00:00Z&to=" + iso(5)),
            seriesOf("orders", "key=a&to=" + iso(5)), // no from
            seriesOf("orders", "key=a&from=" + iso(5) + "&to=" + iso(0)), // reversed
            seriesOf("orders", "key=a&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z"), // huge
            seriesOf("orders", "key=a&from=-999999999-01-01T00:00:00Z&to=" + iso(5)),
            seriesOf("orders", "key=a&from=" + iso(0) + "&to=%2B999999999-12-31T23:59:59Z"),
            seriesOf("orders", "key=a&from=" + encode("2026-11-26T00:00:00+25:00") + "&to=" + iso(5)),
            seriesOf("orders", "key=a&from=&to=" + iso(5)),
            seriesOf("orders", "key=a" + range + "&limit=0"),
            seriesOf("orders", "key=a" + range + "&limit=5001"),
            seriesOf("orders", "key=a" + range + "&limit=ten"),
            seriesOf("orders", "key=a" + range + "&limit=1&limit=2"),
            seriesOf("orders", "key=a" + range + "&pageToken=not-a-token"),
            seriesOf("orders", "key=a" + range + "&pageToken=" + encode("' OR 1=1 --")),
            seriesOf("orders", "key=a" + range + "&colour=blue"),
            seriesOf("orders", "key=a" + range + "&from=" + iso(1)),
            seriesOf("orders", "key=" + "k".repeat(2_000) + range),
            "/v1/views/orders/top", // no window
            "/v1/views/orders/top?window=" + encode("1 OR 1=1"),
            "/v1/views/orders/top?window=%2B1000000000-01-01T00:00:00Z",
            "/v1/views/orders/top?window=" + iso(4) + "&metric=nope",
            "/v1/views/orders/top?window=" + iso(4) + "&metric=" + encode("event_count; --"),
            "/v1/views/orders/top?window=" + iso(4) + "&n=0",
            "/v1/views/orders/top?window=" + iso(4) + "&n=101",
            "/v1/views/orders/top?window=" + iso(4) + "&n=-1",
            "/v1/views/orders/top?window=" + iso(4) + "&n=99999999999999",
            "/v1/views/orders/latest?window=" + iso(4),
            "/v1/freshness?view=orders",
            "/v1/views?" + encode("<script>") + "=1");
    for (String path : badRequests) {
      Answer answer = client.get(path);
      assertThat(path, answer.status(), is(400));
      assertThat(path, answer.header("content-type"), startsWith("application/json"));
      assertThat(path, answer.json().get("error").isTextual(), is(true));
      assertThat(path, answer.body(), not(containsString("Exception")));
      assertThat(path, answer.body(), not(containsString("at railyard")));
    }
  }

  @Test
  public void tooManyKeysAreRefused() {
    StringBuilder query = new StringBuilder("from=" + iso(0) + "&to=" + iso(1));
    for (int i = 0; i <= QueryApi.MAX_KEYS; i++) {
      query.append("&key=k").append(i);
    }

    Answer answer = client.get(seriesOf("orders", query.toString()));

    assertThat(answer.status(), is(400));
    assertThat(answer.json().get("error").asText(), containsString("At most 100"));
  }

  @Test
  public void unknownPathsAndMethodsAreJsonErrors() {
    Answer missing = client.get("/v1/nothing");
    Answer post = client.send("POST", "/v1/views");
    Answer deep = client.get("/v1/views/orders/series/extra");

    assertThat(missing.status(), is(404));
    assertThat(missing.json().get("error").isTextual(), is(true));
    assertThat(post.status(), is(405));
    assertThat(post.json().get("error").isTextual(), is(true));
    assertThat(deep.status(), is(404));
  }

  @Test
  public void aQueryStringThatIsNotUrlEncodingIsRefused() throws Exception {
    String answer = client.raw("GET /v1/views?x=%zz HTTP/1.1");

    assertThat(answer, startsWith("HTTP/1.1 400"));
    assertThat(answer, containsString("{\"error\":"));
    assertThat(answer, not(containsString("Exception")));
  }

  @Test
  public void aPathClimbingOutIsRefused() throws Exception {
    String answer = client.raw("GET /v1/views/%2e%2e/%2e%2e/etc/passwd HTTP/1.1");

    assertThat(answer, startsWith("HTTP/1.1 4"));
    assertThat(answer, containsString("{\"error\":"));
  }

  @Test
  public void aMalformedRequestIsAJsonErrorFromJetty() throws Exception {
    String badHeader = client.raw("GET /v1/views HTTP/1.1\r\nBad Header");
    String controlCharacter = client.raw("GET /v1/views/o%00rders/latest HTTP/1.1");

    for (String answer : List.of(badHeader, controlCharacter)) {
      assertThat(answer, startsWith("HTTP/1.1 400"));
      assertThat(answer, containsString("{\"error\":\"Bad Request\"}"));
      assertThat(answer, not(containsString("Exception")));
    }
  }
}
