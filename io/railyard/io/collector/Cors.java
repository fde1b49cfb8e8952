package railyard.io.collector;

import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;

/**
 * Cross-origin access for browsers: which origins may post events, and the answer to a preflight.
 * With no origins configured, no CORS headers are sent and browsers refuse cross-origin posts.
 */
final class Cors {
  static final String ALLOWED_METHODS = "POST, GET, OPTIONS";
  static final String ALLOWED_HEADERS = "Content-Type, Authorization, X-Api-Key";
  static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After";

  private final List<String> origins;

  Cors(List<String> origins) {
    this.origins = List.copyOf(origins);
  }

  boolean allows(String origin) {
    return origin != null && (origins.contains("*") || origins.contains(origin));
  }

  /** Headers for any response to an allowed origin. */
  void addResponseHeaders(String origin, HttpFields.Mutable headers) {
    headers.put("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
    headers.add("Vary", "Origin");
    headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  }

  /** Headers of a preflight answer; {@code X-Railyard-*} headers may be sent too. */
  void addPreflightHeaders(String requestedHeaders, HttpFields.Mutable headers) {
    headers.put("Access-Control-Allow-Methods", ALLOWED_METHODS);
    headers.put("Access-Control-Allow-Headers", allowedHeaders(requestedHeaders));
    headers.put("Access-Control-Max-Age", "600");
  }

  private static String allowedHeaders(String requested) {
    StringBuilder allowed = new StringBuilder(ALLOWED_HEADERS);
    if (requested != null) {
      for (String header : requested.split(",")) {
        String name = header.strip();
        if (name.toLowerCase(Locale.ROOT).startsWith(RequestAttributes.RAILYARD_HEADER_PREFIX)) {
          allowed.append(", ").append(name);
        }
      }
    }
    return allowed.toString();
  }
}
