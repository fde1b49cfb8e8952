package railyard.io.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static railyard.io.query.QueryRows.iso;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.serving.ServingStore;

/** The OpenAPI description names every route the service answers, and only those. */
public class OpenApiTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private QueryServer server;
  private QueryClient client;

  @Before
  public void start() throws Exception {
    String serving = folder.getRoot().toPath().resolve("serving.db").toString();
    try (ServingStore store = ServingStore.open(serving)) {
      store.upsert(List.of(QueryRows.speed("orders", "a", 0, "ON_TIME", 1)));
    }
    String warehouse = folder.newFolder("warehouse").toString();
    server = QueryServer.start(QueryConfig.loopback(serving, 0).withWarehouse(warehouse));
    client = new QueryClient(server.uri());
  }

  @After
  public void stop() {
    server.close();
  }

  private JsonNode description() {
    QueryClient.Answer answer = client.get("/openapi.json");
    assertThat(answer.status(), is(200));
    assertThat(answer.header("content-type"), startsWith("application/json"));
    return answer.json();
  }

  @Test
  public void isOpenApi3() {
    assertThat(description().get("openapi").asText(), startsWith("3."));
  }

  @Test
  public void describesEveryServedRouteAndNoOther() {
    Set<String> described = new HashSet<>();
    description().get("paths").fieldNames().forEachRemaining(described::add);

    Set<String> served = new HashSet<>(QueryApi.ROUTES);
    served.add("/openapi.json");
    served.add("/");

    assertThat(described, is(served));
  }

  @Test
  public void everyDescribedRouteIsServed() {
    List<String> notServed = new ArrayList<>();
    description()
        .get("paths")
        .fieldNames()
        .forEachRemaining(
            path -> {
              String url = path.replace("{view}", "orders");
              if (url.endsWith("/series")) {
                url += "?key=a&from=" + iso(0) + "&to=" + iso(1);
              } else if (url.endsWith("/top")) {
                url += "?window=" + iso(0);
              } else if (url.endsWith("/sql")) {
                url += "?q=" + QueryClient.encode("SELECT 1");
              }
              if (client.get(url).status() != 200) {
                notServed.add(path);
              }
            });

    assertThat(notServed, is(List.of()));
  }

  @Test
  public void describesTheParametersEachRouteChecks() {
    JsonNode paths = description().get("paths");
    assertThat(names(paths.at("/~1v1~1views~1{view}~1series/get/parameters")),
        is(Set.of("view", "key", "from", "to", "limit", "pageToken")));
    assertThat(names(paths.at("/~1v1~1views~1{view}~1top/get/parameters")),
        is(Set.of("view", "window", "metric", "n")));
    assertThat(paths.at("/~1v1~1views~1{view}~1latest/get/parameters").size(), is(1));
    assertThat(paths.at("/~1v1~1freshness/get/parameters").isMissingNode(), is(true));
    assertThat(names(paths.at("/~1v1~1sql/get/parameters")), is(Set.of("q", "limit")));
    assertThat(paths.at("/~1v1~1views/get/responses/401").isMissingNode(), is(not(true)));
  }

  private static Set<String> names(JsonNode parameters) {
    Set<String> names = new HashSet<>();
    parameters.forEach(parameter -> names.add(parameter.get("name").asText()));
    return names;
  }
}
