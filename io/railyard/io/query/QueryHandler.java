package railyard.io.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP onto {@link QueryApi} and {@link StaticAssets}: GET and HEAD only; the API under {@code
 * /v1/} takes a bearer token when tokens are configured; every refusal is {@code {"error": …}}.
 */
final class QueryHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(QueryHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SQL_ROUTE = "/v1/sql";
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  // The dashboard needs nothing but its own origin; data shown as text cannot run either way.
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final QueryApi api;
  private final @Nullable SqlApi sql;
  private final StaticAssets assets;
  private final List<byte[]> tokens;

  QueryHandler(QueryApi api, @Nullable SqlApi sql, StaticAssets assets, Set<String> tokens) {
    this.api = api;
    this.sql = sql;
    this.assets = assets;
    this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    boolean head = method.equals("HEAD");
    try {
      if (!head && !method.equals("GET")) {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        throw new ApiException(405, "Only GET and HEAD are served");
      }
      String path = Request.getPathInContext(request);
      if (path.startsWith("/v1/")) {
        authorize(request, response);
        ObjectNode document =
            path.equals(SQL_ROUTE) ? sql(parameters(request)) : api.answer(path, parameters(request));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        send(response, callback, 200, JSON_TYPE, JSON.writeValueAsBytes(document), head);
        return true;
      }
      StaticAssets.Asset asset = assets.at(path);
      if (asset == null) {
        throw ApiException.notFound("No such endpoint; see /openapi.json");
      }
      if (asset.contentType().startsWith("text/html")) {
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      }
      send(response, callback, 200, asset.contentType(), asset.bytes(), head);
    } catch (ApiException e) {
      sendError(response, callback, e.status(), e.getMessage(), head);
    } catch (Exception e) {
      LOG.error("Cannot answer {} {}", method, request.getHttpURI().getPath(), e);
      sendError(response, callback, 500, "Internal error; the server log has the details", head);
    }
    return true;
  }

  private ObjectNode sql(Map<String, List<String>> parameters) {
    if (sql == null) {
      throw ApiException.notFound(
          "SQL is not served here: start the server with --warehouse=<the warehouse root>");
    }
    return sql.answer(parameters);
  }

  private void authorize(Request request, Response response) {
    if (authorized(request)) {
      return;
    }
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"railyard\"");
    throw new ApiException(401, "A valid 'Authorization: Bearer <token>' header is required");
  }

  /** Whether {@code request} carries a configured bearer token, or none is needed. */
  boolean authorized(Request request) {
    if (tokens.isEmpty()) {
      return true;
    }
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean known = false;
    for (byte[] token : tokens) {
      known |= MessageDigest.isEqual(token, given); // constant time, and every token tried
    }
    return known;
  }

  private static Map<String, List<String>> parameters(Request request) {
    Fields fields;
    try {
      fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("The query string is not valid URL encoding");
    }
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (Fields.Field field : fields) {
      parameters.computeIfAbsent(field.getName(), name -> new ArrayList<>())
          .addAll(field.getValues());
    }
    return parameters;
  }

  private static void sendError(
      Response response, Callback callback, int status, String message, boolean head) {
    ObjectNode error = JSON.createObjectNode().put("error", message);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    send(response, callback, status, JSON_TYPE, error.toString().getBytes(StandardCharsets.UTF_8),
        head);
  }

  private static void send(
      Response response,
      Callback callback,
      int status,
      String contentType,
      byte[] body,
      boolean head) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
  }
}
