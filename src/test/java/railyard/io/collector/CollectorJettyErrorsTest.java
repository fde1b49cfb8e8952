package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Requests Jetty refuses before the collector's handler sees them are answered in the collector's
 * own JSON, never Jetty's HTML page: sent over a raw socket, as a broken client would.
 */
@RunWith(JUnit4.class)
public class CollectorJettyErrorsTest {
  @Rule public final CollectorFixture c = new CollectorFixture();

  /** The whole response to {@code head} (request line and headers), sent as bytes. */
  private String raw(String head) throws IOException {
    URI uri = c.collector.uri();
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(
          (head + "\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void assertJsonError(String response, String status, String reason) {
    assertThat(response, startsWith("HTTP/1.1 " + status));
    assertThat(response.toLowerCase(), containsString("content-type: application/json"));
    assertThat(response, endsWith("{\"error\":\"" + reason + "\"}"));
    assertThat(response, not(containsString("<html")));
  }

  @Test
  public void aBadUriIsA400InJson() throws Exception {
    assertJsonError(raw("POST /v1/ev%zzents HTTP/1.1"), "400", "Bad Request");
  }

  @Test
  public void aHeaderTooLargeIsA431InJson() throws Exception {
    assertJsonError(
        raw("POST /v1/events HTTP/1.1\r\nX-Big: " + "x".repeat(64 * 1024)),
        "431",
        "Request Header Fields Too Large");
  }

  @Test
  public void aMalformedHeaderIsA400InJson() throws Exception {
    assertJsonError(raw("POST /v1/events HTTP/1.1\r\nBad Header"), "400", "Bad Request");
  }
}
