package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.FileInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** API keys, CORS and TLS. */
@RunWith(JUnit4.class)
public class CollectorSecurityTest {
  @Rule public final TemporaryFolder keys = new TemporaryFolder();
  @Rule public final CollectorFixture c = new CollectorFixture("--corsOrigins=https://shop.example");

  @Test
  public void withApiKeysARequestWithoutAValidKeyIs401() throws Exception {
    try (Collector keyed = Collector.start(c.config("--apiKeys=" + keyFile()))) {
      assertThat(post(keyed).statusCode(), is(401));
      assertThat(post(keyed, "Authorization", "Bearer wrong-key").statusCode(), is(401));
      assertThat(
          post(keyed).headers().firstValue("WWW-Authenticate"), is(Optional.of("Bearer")));
    }
    assertThat(c.lakeEvents().size(), is(0));
  }

  @Test
  public void aValidKeyAsBearerOrHeaderIsAcceptedAndOnlyItsIdIsKept() throws Exception {
    try (Collector keyed = Collector.start(c.config("--apiKeys=" + keyFile()))) {
      assertThat(post(keyed, "Authorization", "Bearer s3cret-web").statusCode(), is(202));
      assertThat(post(keyed, "X-Api-Key", "s3cret-app").statusCode(), is(202));
    }
    var attributes = c.lakeEvents().stream().map(e -> e.attributes()).toList();
    assertThat(attributes.get(0), hasEntry("api_key_id", "web"));
    assertThat(attributes.get(1), hasEntry("api_key_id", "app"));
    assertThat(attributes.toString(), not(containsString("s3cret")));
  }

  @Test
  public void aPreflightFromAnAllowedOriginIsAnswered() throws Exception {
    HttpResponse<String> response =
        preflight("https://shop.example", "Content-Type, X-Railyard-Tenant");

    assertThat(response.statusCode(), is(204));
    assertThat(
        response.headers().firstValue("Access-Control-Allow-Origin"),
        is(Optional.of("https://shop.example")));
    assertThat(
        response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow(),
        containsString("POST"));
    assertThat(
        response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow(),
        containsString("X-Railyard-Tenant"));
  }

  @Test
  public void aPreflightFromAnotherOriginIs403() throws Exception {
    HttpResponse<String> response = preflight("https://evil.example", "Content-Type");

    assertThat(response.statusCode(), is(403));
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"), is(Optional.empty()));
    assertThat(response.body(), startsWith("{\"error\":\"origin not allowed"));
  }

  @Test
  public void aPostFromAnAllowedOriginMayReadTheAnswer() throws Exception {
    HttpResponse<String> response =
        c.post("application/json", "{\"id\":1}", "Origin", "https://shop.example");

    assertThat(response.statusCode(), is(202));
    assertThat(
        response.headers().firstValue("Access-Control-Allow-Origin"),
        is(Optional.of("https://shop.example")));
    assertThat(
        response.headers().firstValue("Access-Control-Expose-Headers").orElseThrow(),
        containsString("X-Request-Id"));
  }

  @Test
  public void withAKeystoreTheCollectorSpeaksHttps() throws Exception {
    Path keystore = keys.getRoot().toPath().resolve("collector.p12");
    Process keytool =
        new ProcessBuilder(
                "keytool", "-genkeypair", "-alias", "collector", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, is(true));

    try (Collector tls =
        Collector.start(c.config("--tlsKeystore=" + keystore, "--tlsPassword=changeit"))) {
      assertThat(tls.uri().getScheme(), is("https"));
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(tls.uri().resolve(CollectorHandler.EVENTS_PATH))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"tls\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode(), is(202));
    }
    assertThat(CollectorFixture.payloads(c.lakeEvents()), is(List.of("{\"id\":\"tls\"}")));
  }

  private String keyFile() throws Exception {
    Path file = keys.getRoot().toPath().resolve("keys.txt");
    Files.writeString(file, "# id key\nweb s3cret-web\napp   s3cret-app\n");
    return file.toString();
  }

  private HttpResponse<String> post(Collector target, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.uri().resolve(CollectorHandler.EVENTS_PATH))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1}"));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return c.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> preflight(String origin, String headers) throws Exception {
    return c.http.send(
        HttpRequest.newBuilder(c.events())
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", headers)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keystore.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
