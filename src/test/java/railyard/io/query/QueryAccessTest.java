package railyard.io.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.query.QueryClient.Answer;
import railyard.io.serving.ServingStore;

/** Bearer tokens, the loopback rule and CORS. */
public class QueryAccessTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private QueryServer server;

  @After
  public void stop() {
    if (server != null) {
      server.close();
    }
  }

  private QueryClient start(QueryConfig config) throws Exception {
    try (ServingStore store = ServingStore.open(config.serving())) {
      store.upsert(List.of(QueryRows.speed("orders", "a", 0, "ON_TIME", 1)));
    }
    server = QueryServer.start(config);
    return new QueryClient(server.uri());
  }

  private String serving() {
    return folder.getRoot().toPath().resolve("serving.db").toString();
  }

  private QueryClient withTokens() throws Exception {
    Path tokens = folder.newFile("tokens").toPath();
    Files.writeString(tokens, "# readers\nfirst-secret\n\nsecond-secret\n");
    return start(QueryConfig.parse("--serving=" + serving(), "--port=0", "--tokens=" + tokens));
  }

  @Test
  public void withTokensARequestWithoutOneIsUnauthorized() throws Exception {
    Answer answer = withTokens().get("/v1/views");

    assertThat(answer.status(), is(401));
    assertThat(answer.header("www-authenticate"), containsString("Bearer"));
    assertThat(answer.json().get("error").asText(), containsString("Bearer"));
  }

  @Test
  public void withTokensAWrongTokenIsUnauthorized() throws Exception {
    QueryClient client = withTokens();

    assertThat(client.get("/v1/views", "Authorization", "Bearer wrong").status(), is(401));
    assertThat(client.get("/v1/views", "Authorization", "Basic Zmlyc3Qtc2VjcmV0").status(), is(401));
    assertThat(client.get("/v1/freshness", "Authorization", "Bearer first").status(), is(401));
  }

  @Test
  public void withTokensEveryListedTokenReads() throws Exception {
    QueryClient client = withTokens();

    assertThat(client.get("/v1/views", "Authorization", "Bearer first-secret").status(), is(200));
    assertThat(client.get("/v1/freshness", "Authorization", "Bearer second-secret").status(), is(200));
  }

  @Test
  public void withTokensTheDashboardAndDescriptionStillLoadButHoldNoData() throws Exception {
    QueryClient client = withTokens();

    assertThat(client.get("/").status(), is(200));
    assertThat(client.get("/openapi.json").status(), is(200));
  }

  @Test
  public void bindingBeyondLoopbackWithoutTokensIsRefused() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> QueryConfig.parse("--serving=" + serving(), "--host=0.0.0.0"));

    assertThat(refused.getMessage(), containsString("--tokens"));
    assertThat(QueryConfig.isLoopback("::1"), is(true));
    assertThat(QueryConfig.isLoopback("localhost"), is(true));
    assertThat(QueryConfig.isLoopback("192.168.1.5"), is(false));
    assertThat(QueryConfig.isLoopback("example.com"), is(false));
  }

  @Test
  public void aMissingSqliteFileIsAnErrorNotANewStore() {
    Path missing = folder.getRoot().toPath().resolve("typo.db");

    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> QueryServer.start(QueryConfig.loopback(missing.toString(), 0)));

    assertThat(refused.getMessage(), containsString("No serving store"));
    assertThat(Files.exists(missing), is(false));
  }

  @Test
  public void anEmptyTokensFileIsRefused() throws Exception {
    Path tokens = folder.newFile("empty").toPath();

    assertThrows(
        IllegalArgumentException.class,
        () -> QueryConfig.parse("--serving=" + serving(), "--tokens=" + tokens));
  }

  @Test
  public void corsPreflightFromAnAllowedOriginIsAnswered() throws Exception {
    QueryClient client =
        start(QueryConfig.loopback(serving(), 0).withCorsOrigins(List.of("https://ops.example")));

    Answer preflight =
        client.send(
            "OPTIONS",
            "/v1/views",
            "Origin", "https://ops.example",
            "Access-Control-Request-Method", "GET",
            "Access-Control-Request-Headers", "authorization");
    Answer get = client.get("/v1/views", "Origin", "https://ops.example");

    assertThat(preflight.status(), is(200));
    assertThat(preflight.header("access-control-allow-origin"), is("https://ops.example"));
    assertThat(preflight.header("access-control-allow-methods"), containsString("GET"));
    assertThat(
        preflight.header("access-control-allow-headers").toLowerCase(),
        containsString("authorization"));
    assertThat(get.header("access-control-allow-origin"), is("https://ops.example"));
  }

  @Test
  public void corsGivesNothingToAnotherOrigin() throws Exception {
    QueryClient client =
        start(QueryConfig.loopback(serving(), 0).withCorsOrigins(List.of("https://ops.example")));

    Answer get = client.get("/v1/views", "Origin", "https://evil.example");

    assertThat(get.header("access-control-allow-origin"), is(nullValue()));
  }

  @Test
  public void corsPreflightIsAnsweredBeforeTheTokenCheck() throws Exception {
    QueryClient client =
        start(
            QueryConfig.loopback(serving(), 0)
                .withTokens(Set.of("secret"))
                .withCorsOrigins(List.of("https://ops.example")));

    Answer preflight =
        client.send(
            "OPTIONS",
            "/v1/views",
            "Origin", "https://ops.example",
            "Access-Control-Request-Method", "GET",
            "Access-Control-Request-Headers", "authorization");

    assertThat(preflight.status(), is(200));
    assertThat(preflight.header("access-control-allow-origin"), is("https://ops.example"));
  }
}
