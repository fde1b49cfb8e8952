package railyard.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A value in a spec's YAML tree, with the file and key path it came from, and typed readers that
 * reject what does not fit with a {@link SpecException} naming both. A key that is absent, or
 * present with no value, reads as missing.
 */
final class SpecNode {

  private final String file;
  private final String path;
  private final @Nullable JsonNode node;

  private SpecNode(String file, String path, @Nullable JsonNode node) {
    this.file = file;
    this.path = path;
    this.node = node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  static SpecNode root(String file, JsonNode node) {
    return new SpecNode(file, "", node);
  }

  String path() {
    return path;
  }

  boolean isPresent() {
    return node != null;
  }

  SpecException fail(String problem) {
    return new SpecException(file, path, problem);
  }

  /** The value under {@code key} of this mapping, perhaps missing. */
  SpecNode get(String key) {
    JsonNode child = node == null ? null : node.get(key);
    return new SpecNode(file, path.isEmpty() ? key : path + "." + key, child);
  }

  /** The value under {@code key}, which must be there. */
  SpecNode require(String key) {
    SpecNode child = get(key);
    if (!child.isPresent()) {
      throw child.fail("is required");
    }
    return child;
  }

  /** Checks this is a mapping whose keys are all among {@code allowed}; returns it. */
  SpecNode mapping(List<String> allowed) {
    if (node == null || !node.isObject()) {
      throw fail(
          describe() + " is not a mapping (expected keys: " + String.join(", ", allowed) + ")");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        throw get(key).fail("unknown key (expected one of: " + String.join(", ", allowed) + ")");
      }
    }
    return this;
  }

  /** The items of this list, each with its indexed path; missing reads as empty. */
  List<SpecNode> items() {
    List<SpecNode> items = new ArrayList<>();
    if (node == null) {
      return items;
    }
    if (!node.isArray()) {
      throw fail(describe() + " is not a list");
    }
    for (int i = 0; i < node.size(); i++) {
      items.add(new SpecNode(file, path + "[" + i + "]", node.get(i)));
    }
    return items;
  }

  String text() {
    if (node == null || !node.isTextual()) {
      throw fail(describe() + " is not a string");
    }
    return node.textValue();
  }

  /** A path or location: a string that is not blank. */
  String location() {
    String value = text();
    if (value.isBlank()) {
      throw fail("must not be blank");
    }
    return value;
  }

  long longValue() {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      throw fail(describe() + " is not a whole number");
    }
    return node.longValue();
  }

  int intValue() {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
      throw fail(describe() + " is not a whole number (up to " + Integer.MAX_VALUE + ")");
    }
    return node.intValue();
  }

  double number() {
    if (node == null || !node.isNumber() || !Double.isFinite(node.doubleValue())) {
      throw fail(describe() + " is not a number");
    }
    return node.doubleValue();
  }

  boolean bool() {
    if (node == null || !node.isBoolean()) {
      throw fail(describe() + " is not a boolean (use true or false)");
    }
    return node.booleanValue();
  }

  Duration duration() {
    Duration parsed = node != null && node.isTextual() ? Durations.parse(node.textValue()) : null;
    if (parsed == null) {
      throw fail(describe() + " is not a duration (use e.g. 30s, 5m, 1h)");
    }
    return parsed;
  }

  Instant instant() {
    try {
      return Instant.parse(text());
    } catch (IllegalArgumentException e) {
      throw fail(describe() + " is not an instant (use e.g. 2026-01-01T00:00:00Z)");
    }
  }

  /** An enum constant spelled in lower case, e.g. {@code sliding} for {@code SLIDING}. */
  <E extends Enum<E>> E enumValue(Class<E> type) {
    String text = node != null && node.isTextual() ? node.textValue() : null;
    List<String> choices = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      String spelled = constant.name().toLowerCase(Locale.ROOT);
      if (spelled.equals(text)) {
        return constant;
      }
      choices.add(spelled);
    }
    throw fail(describe() + " is not one of: " + String.join(", ", choices));
  }

  /** This value read with {@code reader} if present, else {@code fallback}. */
  <T> T or(Function<SpecNode, T> reader, T fallback) {
    return node == null ? fallback : reader.apply(this);
  }

  /** This value read with {@code reader} if present, else null. */
  @Nullable
  <T> T orNull(Function<SpecNode, T> reader) {
    return node == null ? null : reader.apply(this);
  }

  private String describe() {
    if (node == null) {
      return "an empty value";
    }
    if (node.isTextual()) {
      return "'" + node.textValue() + "'";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.asText();
  }
}
