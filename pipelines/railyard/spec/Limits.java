package railyard.spec;

import java.io.Serializable;

/**
 * Bounds on what the parser accepts; a record beyond them is a dead letter.
 *
 * @param maxRecordBytes the largest accepted payload, in bytes
 * @param maxDepth the deepest accepted nesting of a JSON document
 */
public record Limits(int maxRecordBytes, int maxDepth) implements Serializable {

  public static final int DEFAULT_MAX_RECORD_BYTES = 65_536;
  public static final int DEFAULT_MAX_DEPTH = 32;

  public Limits {
    if (maxRecordBytes <= 0 || maxDepth <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public static Limits defaults() {
    return new Limits(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_DEPTH);
  }
}
