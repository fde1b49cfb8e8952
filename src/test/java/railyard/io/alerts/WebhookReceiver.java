package railyard.io.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real webhook receiver on loopback for tests (the JDK's HTTP server): it keeps every body and
 * {@code Idempotency-Key} posted to {@code /hook} and answers with a status the test chooses.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One post: its idempotency key and its JSON body. */
  public record Post(String idempotencyKey, JsonNode body) {}

  private final int port;
  private final List<Post> posts = new ArrayList<>();
  private volatile int status = 200;
  private HttpServer server;

  private WebhookReceiver(int port) {
    this.port = port;
  }

  /** A receiver listening now on a free loopback port. */
  public static WebhookReceiver started() {
    WebhookReceiver receiver = new WebhookReceiver(freePort());
    receiver.start();
    return receiver;
  }

  /** A receiver on a free port that nothing answers on until {@link #start()}. */
  public static WebhookReceiver down() {
    return new WebhookReceiver(freePort());
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  /** Answers every later post with {@code code}. */
  public void answerWith(int code) {
    status = code;
  }

  public synchronized void start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/hook",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            int answer = status;
            if (answer >= 200 && answer < 300) {
              synchronized (posts) {
                posts.add(
                    new Post(
                        exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        JSON.readTree(text)));
                posts.notifyAll();
              }
            }
            exchange.sendResponseHeaders(answer, -1);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  /** The posts taken so far. */
  public List<Post> posts() {
    synchronized (posts) {
      return List.copyOf(posts);
    }
  }

  /** Waits up to {@code seconds} for {@code count} posts; returns those taken. */
  public List<Post> awaitPosts(int count, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (posts) {
      while (posts.size() < count && System.nanoTime() < deadline) {
        posts.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      return List.copyOf(posts);
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
