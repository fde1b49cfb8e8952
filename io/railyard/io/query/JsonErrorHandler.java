package railyard.io.query;

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
 * Errors Jetty answers itself (a malformed request, a failure outside the handler) as {@code
 * {"error": "<status reason>"}}: never a stack trace, never the server's own message.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 500;
    if (request.getAttribute(ERROR_STATUS) instanceof Integer code) {
      status = code;
    }
    QueryHandler.sendError(
        response, callback, status, reason(status), request.getMethod().equals("HEAD"));
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    return ByteBuffer.wrap(
        ("{\"error\":\"" + reason(status) + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean isShowStacks() {
    return false;
  }

  private static String reason(int status) {
    String message = HttpStatus.getMessage(status);
    return message == null ? "Error " + status : message;
  }
}
