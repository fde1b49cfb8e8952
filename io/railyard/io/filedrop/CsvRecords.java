package railyard.io.filedrop;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits CSV bytes into records (RFC 4180): a record ends at a line break outside double quotes,
 * so a quoted field may hold line breaks. Each record keeps its bytes exactly, without the line
 * break; blank lines are skipped.
 */
final class CsvRecords {

  /** Receives each record with the line number it starts on (1-based). */
  @FunctionalInterface
  interface RecordReceiver {
    void accept(long startLine, byte[] record) throws IOException;
  }

  private CsvRecords() {}

  static void split(InputStream input, RecordReceiver receiver) throws IOException {
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    long line = 1;
    long startLine = 1;
    boolean quoted = false;
    try (InputStream in = new BufferedInputStream(input)) {
      while (true) {
        int b = in.read();
        if (b == -1 || (b == '\n' && !quoted)) {
          byte[] bytes = withoutCarriageReturn(record.toByteArray());
          if (bytes.length > 0) {
            receiver.accept(startLine, bytes);
          }
          if (b == -1) {
            return;
          }
          record.reset();
          line++;
          startLine = line;
          continue;
        }
        if (b == '"') {
          quoted = !quoted; // an escaped quote ("") toggles twice
        } else if (b == '\n') {
          line++;
        }
        record.write(b);
      }
    }
  }

  private static byte[] withoutCarriageReturn(byte[] bytes) {
    return bytes.length > 0 && bytes[bytes.length - 1] == '\r'
        ? Arrays.copyOf(bytes, bytes.length - 1)
        : bytes;
  }
}
