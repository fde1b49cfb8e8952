package railyard.io.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The accepted API keys, read from a file of {@code <id> <key>} lines ({@code #} starts a comment).
 * Requests name the key; the lake records only its id.
 */
final class ApiKeys {
  private final Map<String, byte[]> keysById;

  private ApiKeys(Map<String, byte[]> keysById) {
    this.keysById = keysById;
  }

  static ApiKeys load(Path file) throws IOException {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      String content = line.strip();
      if (content.isEmpty() || content.startsWith("#")) {
        continue;
      }
      String[] parts = content.split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            file + ":" + lineNumber + ": expected '<id> <key>', two words");
      }
      keys.put(parts[0], parts[1].getBytes(StandardCharsets.UTF_8));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(file + ": no API keys (lines of '<id> <key>')");
    }
    return new ApiKeys(keys);
  }

  /** The id of {@code presented}, if it is one of the keys; compared in constant time. */
  Optional<String> idOf(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    String found = null;
    for (Map.Entry<String, byte[]> entry : keysById.entrySet()) {
      if (MessageDigest.isEqual(entry.getValue(), candidate)) {
        found = entry.getKey();
      }
    }
    return Optional.ofNullable(found);
  }
}
