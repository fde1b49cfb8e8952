package railyard.transforms;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * Builds a serving row's key from its group-by values: joined by {@code |}, with {@code |} and
 * {@code \} in values escaped by {@code \}, a NUL written as {@code \0} (PostgreSQL text cannot
 * hold U+0000, so every store keeps the same key), and a missing value as the empty string.
 */
final class ViewKey implements Serializable {
  private final int[] fieldIndexes;

  ViewKey(List<String> groupBy, org.apache.beam.sdk.schemas.Schema schema) {
    fieldIndexes = groupBy.stream().mapToInt(schema::indexOf).toArray();
  }

  String of(Row row) {
    if (fieldIndexes.length == 1) {
      return escape(row.getValue(fieldIndexes[0]));
    }
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < fieldIndexes.length; i++) {
      if (i > 0) {
        key.append('|');
      }
      key.append(escape(row.getValue(fieldIndexes[i])));
    }
    return key.toString();
  }

  /** Keys of the same fields are equal: views that group alike can share one key per row. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ViewKey other && Arrays.equals(fieldIndexes, other.fieldIndexes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(fieldIndexes);
  }

  static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    if (text.indexOf('|') < 0 && text.indexOf('\\') < 0 && text.indexOf('\0') < 0) {
      return text;
    }
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\0", "\\0");
  }
}
