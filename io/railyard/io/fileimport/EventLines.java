package railyard.io.fileimport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits JSON-lines bytes into lines at '\n' (and a '\r' before it), byte by byte, so each line's
 * bytes stay exactly as in the file: no decoding. Empty lines are skipped but still numbered.
 */
public final class EventLines {

  /** Receives each non-empty line with its 1-based line number. */
  @FunctionalInterface
  public interface LineReceiver {
    void accept(long lineNumber, byte[] line);
  }

  private EventLines() {}

  public static void split(InputStream input, LineReceiver receiver) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long lineNumber = 0;
    try (InputStream in = new BufferedInputStream(input)) {
      while (true) {
        int b = in.read();
        if (b == '\n' || b == -1) {
          lineNumber++;
          byte[] bytes = withoutCarriageReturn(line.toByteArray());
          if (bytes.length > 0) {
            receiver.accept(lineNumber, bytes);
          }
          line.reset();
          if (b == -1) {
            return;
          }
        } else {
          line.write(b);
        }
      }
    }
  }

  private static byte[] withoutCarriageReturn(byte[] bytes) {
    return bytes.length > 0 && bytes[bytes.length - 1] == '\r'
        ? Arrays.copyOf(bytes, bytes.length - 1)
        : bytes;
  }
}
