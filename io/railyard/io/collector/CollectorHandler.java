package railyard.io.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.model.RawEvent;

/**
 * The collector's two endpoints: {@code POST /v1/events} and {@code GET /health} ({@code
 * /metrics} is answered around it, by {@link railyard.io.metrics.HttpMetrics}). A request is
 * answered 202 only after its events are durable in the sink; everything it refuses is refused
 * whole, before the sink sees it.
 */
final class CollectorHandler extends Handler.Abstract {
  static final String EVENTS_PATH = "/v1/events";
  static final String HEALTH_PATH = "/health";
  static final String SOURCE = "http";

  private static final Logger LOG = LoggerFactory.getLogger(CollectorHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CollectorConfig config;
  private final EventSink sink;
  private final Cors cors;
  private final ApiKeys apiKeys;
  private final Semaphore inFlightRequests;
  private final Semaphore inFlightBytes;

  CollectorHandler(CollectorConfig config, EventSink sink, ApiKeys apiKeys) {
    super(InvocationType.BLOCKING);
    this.config = config;
    this.sink = sink;
    this.cors = new Cors(config.corsOrigins());
    this.apiKeys = apiKeys;
    this.inFlightRequests = new Semaphore(config.maxInFlightRequests());
    // Permits count KiB so that any byte cap fits an int.
    this.inFlightBytes = new Semaphore((int) Math.max(1, config.maxInFlightBytes() >> 10));
  }

  /** The route of {@code path} as metrics label it: one of the two endpoints, or {@code other}. */
  static String routeOf(String path) {
    return path.equals(EVENTS_PATH) || path.equals(HEALTH_PATH) ? path : "other";
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String requestId = UUID.randomUUID().toString();
    response.getHeaders().put("X-Request-Id", requestId);
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (cors.allows(origin)) {
      cors.addResponseHeaders(origin, response.getHeaders());
    }
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    if (HttpMethod.OPTIONS.is(method)) {
      preflight(request, response, callback, path, origin, requestId);
    } else if (path.equals(EVENTS_PATH)) {
      if (HttpMethod.POST.is(method)) {
        postEvents(request, response, callback, requestId);
      } else {
        notAllowed(response, callback, "POST, OPTIONS", requestId);
      }
    } else if (path.equals(HEALTH_PATH)) {
      if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
        health(response, callback);
      } else {
        notAllowed(response, callback, "GET, HEAD, OPTIONS", requestId);
      }
    } else {
      answer(response, callback, HttpStatus.NOT_FOUND_404, error("no such path: " + path, requestId));
    }
    return true;
  }

  private void preflight(
      Request request,
      Response response,
      Callback callback,
      String path,
      String origin,
      String requestId) {
    if (!path.equals(EVENTS_PATH) && !path.equals(HEALTH_PATH)) {
      answer(response, callback, HttpStatus.NOT_FOUND_404, error("no such path: " + path, requestId));
      return;
    }
    response.getHeaders().put(HttpHeader.ALLOW, path.equals(EVENTS_PATH) ? "POST, OPTIONS" : "GET, HEAD, OPTIONS");
    if (origin != null && request.getHeaders().get("Access-Control-Request-Method") != null) {
      if (!cors.allows(origin)) {
        answer(response, callback, HttpStatus.FORBIDDEN_403,
            error("origin not allowed: " + origin, requestId));
        return;
      }
      cors.addPreflightHeaders(
          request.getHeaders().get("Access-Control-Request-Headers"), response.getHeaders());
    }
    answer(response, callback, HttpStatus.NO_CONTENT_204, null);
  }

  private void postEvents(Request request, Response response, Callback callback, String requestId) {
    Optional<String> apiKeyId = Optional.empty();
    if (apiKeys != null) {
      apiKeyId = apiKeys.idOf(presentedKey(request));
      if (apiKeyId.isEmpty()) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        answer(response, callback, HttpStatus.UNAUTHORIZED_401,
            error("a valid API key is needed: 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'", requestId));
        return;
      }
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    Optional<EventFraming.Kind> declared;
    try {
      declared = framingOf(contentType);
    } catch (IllegalArgumentException e) {
      answer(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, error(e.getMessage(), requestId));
      return;
    }
    long declaredLength = request.getLength();
    if (declaredLength > config.maxBodyBytes()) {
      tooLarge(response, callback, requestId);
      return;
    }
    int reservedKiB = kib(declaredLength >= 0 ? declaredLength : config.maxBodyBytes());
    if (!inFlightRequests.tryAcquire()) {
      busy(response, callback, "too many requests in flight", requestId);
      return;
    }
    try {
      if (!inFlightBytes.tryAcquire(reservedKiB)) {
        busy(response, callback, "too many bytes in flight", requestId);
        return;
      }
      try {
        if (!sink.isUp()) {
          busy(response, callback, "the sink is down: " + sink.describe(), requestId);
          return;
        }
        accept(request, response, callback, requestId, declared, apiKeyId.orElse(null));
      } finally {
        inFlightBytes.release(reservedKiB);
      }
    } finally {
      inFlightRequests.release();
    }
  }

  private void accept(
      Request request,
      Response response,
      Callback callback,
      String requestId,
      Optional<EventFraming.Kind> declared,
      String apiKeyId) {
    long receivedAt = Request.getTimeStamp(request);
    List<byte[]> payloads;
    try {
      byte[] body = Bodies.read(request, config.maxBodyBytes());
      payloads = EventFraming.split(body, declared.orElseGet(() -> EventFraming.sniff(body)));
    } catch (BodyTooLargeException e) {
      tooLarge(response, callback, requestId);
      return;
    } catch (FramingException e) {
      answer(response, callback, HttpStatus.BAD_REQUEST_400, error(e.getMessage(), requestId));
      return;
    } catch (java.io.IOException e) {
      answer(response, callback, HttpStatus.BAD_REQUEST_400,
          error("could not read the body: " + e.getMessage(), requestId));
      return;
    }
    // Immutable once, so that every event of the request shares it rather than copying it.
    Map<String, String> attributes = Map.copyOf(RequestAttributes.of(request, requestId, apiKeyId));
    List<RawEvent> events = new ArrayList<>(payloads.size());
    for (byte[] payload : payloads) {
      events.add(new RawEvent(SOURCE, receivedAt, payload, attributes));
    }
    try {
      sink.write(events).get(config.sinkTimeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      busy(response, callback, "interrupted before the sink acknowledged", requestId);
      return;
    } catch (Exception e) {
      LOG.warn("request {}: the sink did not take {} event(s): {}", requestId, events.size(), e.toString());
      busy(response, callback, "the sink did not acknowledge the events: " + sink.describe(), requestId);
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", events.size());
    body.put("requestId", requestId);
    answer(response, callback, HttpStatus.ACCEPTED_202, body);
  }

  private void health(Response response, Callback callback) {
    boolean up = sink.isUp();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "up" : "down");
    body.put("sink", sink.describe());
    if (!up) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, config.retryAfterSeconds());
    }
    answer(response, callback, up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503, body);
  }

  private static String presentedKey(Request request) {
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).strip();
    }
    return request.getHeaders().get("X-Api-Key");
  }

  /** The framing a Content-Type declares; empty when there is none (the body decides). */
  static Optional<EventFraming.Kind> framingOf(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return Optional.empty();
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    return switch (mediaType) {
      case "application/json" -> Optional.of(EventFraming.Kind.JSON);
      case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines" ->
          Optional.of(EventFraming.Kind.NDJSON);
      default -> throw new IllegalArgumentException(
          "unsupported Content-Type '" + mediaType + "'; send application/json or application/x-ndjson");
    };
  }

  private void notAllowed(Response response, Callback callback, String allow, String requestId) {
    response.getHeaders().put(HttpHeader.ALLOW, allow);
    answer(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, error("method not allowed; use " + allow, requestId));
  }

  private void tooLarge(Response response, Callback callback, String requestId) {
    // The rest of the body is not read; closing the connection keeps it from being parsed as a request.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    answer(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
        error("the body is larger than " + config.maxBodyBytes() + " bytes (--maxBodyBytes)", requestId));
  }

  private void busy(Response response, Callback callback, String why, String requestId) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, config.retryAfterSeconds());
    answer(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, error(why, requestId));
  }

  private static Map<String, Object> error(String message, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("requestId", requestId);
    return body;
  }

  private static void answer(Response response, Callback callback, int status, Object body) {
    response.setStatus(status);
    if (body == null) {
      callback.succeeded();
      return;
    }
    try {
      byte[] json = JSON.writeValueAsBytes(body);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, java.nio.ByteBuffer.wrap(json), callback);
    } catch (Exception e) {
      callback.failed(e);
    }
  }

  private static int kib(long bytes) {
    return (int) Math.max(1, (bytes + 1023) >> 10);
  }
}
