package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Each status the collector answers with, and when. */
@RunWith(JUnit4.class)
public class CollectorStatusTest {
  @Rule
  public final CollectorFixture c =
      new CollectorFixture("--maxBodyBytes=1024", "--maxInFlightRequests=1", "--retryAfterSeconds=3");

  @Test
  public void acceptedEventsAreAnswered202WithTheirCountAndRequestId() throws Exception {
    HttpResponse<String> response = c.post("application/json", "{\"id\":1}");

    assertThat(response.statusCode(), is(202));
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(response.body(), is("{\"accepted\":1,\"requestId\":\"" + requestId + "\"}"));
  }

  @Test
  public void anUnknownPathIs404() throws Exception {
    HttpResponse<String> response =
        c.http.send(
            HttpRequest.newBuilder(c.collector.uri().resolve("/v2/nothing")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode(), is(404));
  }

  @Test
  public void getOnTheEventsPathIs405NamingPost() throws Exception {
    HttpResponse<String> response =
        c.http.send(HttpRequest.newBuilder(c.events()).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode(), is(405));
    assertThat(response.headers().firstValue("Allow"), is(Optional.of("POST, OPTIONS")));
  }

  @Test
  public void anUnsupportedContentTypeIs415() throws Exception {
    HttpResponse<String> response = c.post("text/plain", "{\"id\":1}");

    assertThat(response.statusCode(), is(415));
    assertThat(response.body(), containsString("application/x-ndjson"));
  }

  @Test
  public void aBodyDeclaredLargerThanTheLimitIs413() throws Exception {
    HttpResponse<String> response = c.post("application/x-ndjson", ndjsonOfBytes(2048));

    assertThat(response.statusCode(), is(413));
    assertThat(c.lakeEvents(), is(empty()));
  }

  @Test
  public void aChunkedBodyGrowingPastTheLimitIs413WhileBeingRead() throws Exception {
    byte[] body = ndjsonOfBytes(64 * 1024).getBytes();
    // An input stream publisher has no length: the body goes chunked, with no Content-Length.
    HttpResponse<String> response =
        c.post(
            "application/x-ndjson",
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    assertThat(response.statusCode(), is(413));
    assertThat(c.lakeEvents(), is(empty()));
  }

  @Test
  public void aChunkedBodyWithinTheLimitIsAccepted() throws Exception {
    byte[] body = "{\"id\":1}\n{\"id\":2}\n".getBytes();
    HttpResponse<String> response =
        c.post(
            "application/x-ndjson",
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    assertThat(response.statusCode(), is(202));
  }

  @Test
  public void aRequestBeyondTheInFlightCapIs503WithRetryAfter() throws Exception {
    try (Collector slow = Collector.start(c.config("--flushMillis=1500", "--maxInFlightRequests=1",
        "--lake=" + c.lake().resolve("slow"), "--retryAfterSeconds=3"))) {
      HttpRequest post =
          HttpRequest.newBuilder(slow.uri().resolve(CollectorHandler.EVENTS_PATH))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1}"))
              .build();
      // The first file is written at once; the next request then waits out the flush interval.
      assertThat(c.http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode(), is(202));
      CompletableFuture<HttpResponse<String>> first =
          c.http.sendAsync(post, HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500);

      HttpResponse<String> second = c.http.send(post, HttpResponse.BodyHandlers.ofString());

      assertThat(second.statusCode(), is(503));
      assertThat(second.headers().firstValue("Retry-After"), is(Optional.of("3")));
      assertThat(first.get().statusCode(), is(202));
    }
  }

  @Test
  public void aRequestBeyondTheInFlightBytesCapIs503() throws Exception {
    try (Collector slow = Collector.start(c.config("--flushMillis=1500", "--maxInFlightRequests=10",
        "--maxBodyBytes=2048", "--maxInFlightBytes=3072", "--lake=" + c.lake().resolve("slow")))) {
      HttpRequest post =
          HttpRequest.newBuilder(slow.uri().resolve(CollectorHandler.EVENTS_PATH))
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofString(ndjsonOfBytes(1800)))
              .build();
      assertThat(c.http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode(), is(202));
      CompletableFuture<HttpResponse<String>> first =
          c.http.sendAsync(post, HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500);

      HttpResponse<String> second = c.http.send(post, HttpResponse.BodyHandlers.ofString());

      assertThat(second.statusCode(), is(503));
      assertThat(second.body(), containsString("too many bytes in flight"));
      assertThat(first.get().statusCode(), is(202));
    }
  }

  @Test
  public void healthIs200WithTheSinkWhenItIsUp() throws Exception {
    HttpResponse<String> response = health();

    assertThat(response.statusCode(), is(200));
    assertThat(response.body(), containsString("\"status\":\"up\""));
    assertThat(response.body(), containsString("\"sink\":\"lake "));
  }

  @Test
  public void whenTheSinkIsDownHealthAndPostsAre503WithRetryAfter() throws Exception {
    c.collector.sink().close();

    HttpResponse<String> health = health();
    HttpResponse<String> post = c.post("application/json", "{\"id\":1}");

    assertThat(health.statusCode(), is(503));
    assertThat(health.body(), containsString("\"status\":\"down\""));
    assertThat(post.statusCode(), is(503));
    assertThat(post.headers().firstValue("Retry-After"), is(Optional.of("3")));
  }

  private HttpResponse<String> health() throws Exception {
    return c.http.send(
        HttpRequest.newBuilder(c.collector.uri().resolve(CollectorHandler.HEALTH_PATH)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String ndjsonOfBytes(int size) {
    StringBuilder body = new StringBuilder();
    while (body.length() < size) {
      body.append("{\"id\":").append(body.length()).append("}\n");
    }
    return body.toString();
  }
}
