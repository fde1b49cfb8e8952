package railyard.io.fileimport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The lake file name of an imported file's lines: {@code import-<file>-<first>-<last>.avro}, where
 * {@code <file>} is a digest of the imported file's source ({@code file:<path>}) and the line range
 * says which lines the lake already holds. An imported record is named by its file and line as a
 * Kafka record is by topic, partition and offset.
 */
final class ImportedFile {
  static final String PREFIX = "import-";
  static final String SUFFIX = ".avro";

  private ImportedFile() {}

  /** A short, path-safe digest of {@code source}. */
  static String digest(String source) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  static String fileName(String digest, long firstLine, long lastLine) {
    return PREFIX + digest + "-" + firstLine + "-" + lastLine + SUFFIX;
  }

  /** The line range of a name {@link #fileName} made for {@code digest}; {@code null} otherwise. */
  static long @Nullable [] range(String digest, String fileName) {
    String prefix = PREFIX + digest + "-";
    if (!fileName.startsWith(prefix) || !fileName.endsWith(SUFFIX)) {
      return null;
    }
    String[] lines =
        fileName.substring(prefix.length(), fileName.length() - SUFFIX.length()).split("-");
    try {
      return lines.length == 2
          ? new long[] {Long.parseLong(lines[0]), Long.parseLong(lines[1])}
          : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
