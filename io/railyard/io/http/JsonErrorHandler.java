package railyard.io.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself — a malformed request, a bad URI, headers too large, a failure
 * outside the handler — as {@code {"error": "<status reason>"}}: never Jetty's HTML page, never a
 * stack trace, never the server's own message. Shared by the services that answer in JSON.
 */
public final class JsonErrorHandler extends ErrorHandler {
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 500;
    if (request.getAttribute(ERROR_STATUS) instanceof Integer code) {
      status = code;
    }
    byte[] body = body(status);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    boolean head = request.getMethod().equals("HEAD");
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
    return ByteBuffer.wrap(body(status));
  }

  @Override
  public boolean isShowStacks() {
    return false;
  }

  private static byte[] body(int status) {
    String reason = HttpStatus.getMessage(status);
    String message = reason == null ? "Error " + status : reason;
    // Jetty's reasons are plain words: nothing in them needs escaping in a JSON string.
    return ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
