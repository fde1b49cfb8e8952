package railyard.io.metrics;

import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Wraps a service's handler: times every request into {@code http_server_requests_seconds} by
 * route, method and status, and answers {@code GET /metrics} with the service's {@link
 * PrometheusMetrics}. Routes are templates ({@code /v1/views/{view}/series}), never raw paths, so
 * the number of series stays bounded whatever clients ask for.
 */
public final class HttpMetrics extends Handler.Wrapper {
  static final String REQUESTS = "http.server.requests";
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5)
  };

  private final PrometheusMetrics metrics;
  private final Function<String, String> routeOf;
  private final Predicate<Request> mayScrape;

  /**
   * @param routeOf the route template of a request path
   * @param mayScrape whether a request may read {@code /metrics} (e.g. it carries a valid token);
   *     refused with 401
   */
  public HttpMetrics(
      Handler handler,
      PrometheusMetrics metrics,
      Function<String, String> routeOf,
      Predicate<Request> mayScrape) {
    super(handler);
    this.metrics = metrics;
    this.routeOf = routeOf;
    this.mayScrape = mayScrape;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long started = System.nanoTime();
    String path = Request.getPathInContext(request);
    String route = path.equals(PrometheusMetrics.PATH) ? PrometheusMetrics.PATH : routeOf.apply(path);
    String method = request.getMethod();
    Callback timed =
        new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            record(route, method, response.getStatus(), started);
            super.succeeded();
          }

          @Override
          public void failed(Throwable failure) {
            record(route, method, 500, started);
            super.failed(failure);
          }
        };
    if (route.equals(PrometheusMetrics.PATH)) {
      scrape(request, response, timed);
      return true;
    }
    if (!super.handle(request, response, timed)) {
      record(route, method, 404, started);
      return false;
    }
    return true;
  }

  private void scrape(Request request, Response response, Callback callback) {
    boolean head = request.getMethod().equals("HEAD");
    if (!head && !request.getMethod().equals("GET")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      write(response, callback, 405, "only GET and HEAD\n", false);
    } else if (!mayScrape.test(request)) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"railyard\"");
      write(response, callback, 401, "a valid 'Authorization: Bearer <token>' is required\n", head);
    } else {
      write(response, callback, 200, metrics.scrape(), head);
    }
  }

  private static void write(
      Response response, Callback callback, int status, String text, boolean head) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
  }

  private void record(String route, String method, int status, long started) {
    Timer.builder(REQUESTS)
        .description("HTTP requests by route template, method and status")
        .tag("route", route)
        .tag("method", method)
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(metrics.registry())
        .record(Duration.ofNanos(System.nanoTime() - started));
  }
}
