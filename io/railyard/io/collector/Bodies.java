package railyard.io.collector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.server.Request;

/** Reads a request body into memory, never more than a limit. */
final class Bodies {
  private Bodies() {}

  static byte[] read(Request request, int limit) throws IOException, BodyTooLargeException {
    long declared = request.getLength();
    ByteArrayOutputStream body =
        new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, limit) : 8192);
    byte[] buffer = new byte[16384];
    try (InputStream in = Request.asInputStream(request)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (body.size() + n > limit) {
          throw new BodyTooLargeException(limit);
        }
        body.write(buffer, 0, n);
      }
    }
    return body.toByteArray();
  }
}
