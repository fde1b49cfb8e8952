package railyard.io.collector;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The lake attributes of an HTTP request: who sent it and how. Every event of a request gets the
 * same attributes. {@code X-Railyard-*} headers are kept under their lower-case name (at most
 * {@value #MAX_RAILYARD_HEADERS} of them, values cut to {@value #MAX_VALUE_CHARS} characters);
 * other headers are not kept.
 */
final class RequestAttributes {
  static final String REMOTE_ADDR = "remote_addr";
  static final String USER_AGENT = "user_agent";
  static final String CONTENT_TYPE = "content_type";
  static final String REQUEST_ID = "request_id";
  static final String API_KEY_ID = "api_key_id";
  static final String RAILYARD_HEADER_PREFIX = "x-railyard-";
  static final int MAX_RAILYARD_HEADERS = 16;
  static final int MAX_VALUE_CHARS = 1024;

  private RequestAttributes() {}

  static Map<String, String> of(Request request, String requestId, String apiKeyId) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(REMOTE_ADDR, Request.getRemoteAddr(request));
    attributes.put(REQUEST_ID, requestId);
    putIfPresent(attributes, USER_AGENT, request.getHeaders().get(HttpHeader.USER_AGENT));
    putIfPresent(attributes, CONTENT_TYPE, request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    putIfPresent(attributes, API_KEY_ID, apiKeyId);
    int kept = 0;
    for (HttpField field : request.getHeaders()) {
      String name = field.getName().toLowerCase(Locale.ROOT);
      if (name.startsWith(RAILYARD_HEADER_PREFIX)
          && !attributes.containsKey(name)
          && kept < MAX_RAILYARD_HEADERS) {
        putIfPresent(attributes, name, field.getValue());
        kept++;
      }
    }
    return attributes;
  }

  private static void putIfPresent(Map<String, String> attributes, String key, String value) {
    if (value != null) {
      attributes.put(
          key, value.length() > MAX_VALUE_CHARS ? value.substring(0, MAX_VALUE_CHARS) : value);
    }
  }
}
