package railyard.io.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * The ways a generated payload is broken. Each kind turns a valid document into bytes that a
 * careful parse-and-validate stage must reject; a kind that does not apply to the schema (no
 * required field to drop, no range to leave) falls back to {@link #TRUNCATED_JSON}.
 */
public enum Malformation {
  /** A prefix of the document: not valid JSON. */
  TRUNCATED_JSON,
  /** A field of the wrong JSON type: text in a number, an object in a string, and so on. */
  WRONG_TYPE,
  /** A required field left out. */
  MISSING_REQUIRED,
  /** Bytes that are not UTF-8 inside a string value. */
  INVALID_UTF8,
  /** A field's value replaced by an object nested {@link #NESTING_DEPTH} levels deep. */
  DEEP_NESTING,
  /** A number outside the declared range, a string outside {@code allowed} or over maxLength. */
  OUT_OF_RANGE,
  /** A valid document padded past {@link #OVERSIZED_BYTES} under an extra key. */
  OVERSIZED;

  public static final int NESTING_DEPTH = 200;
  public static final int OVERSIZED_BYTES = 80 * 1024;
  /** One malformed payload in this many is oversized; the rest spread over the other kinds. */
  static final int OVERSIZED_ONE_IN = 100;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xFF}, {(byte) 0xC3, (byte) 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}
  };

  /** Draws a kind: oversized once in {@link #OVERSIZED_ONE_IN}, else uniformly among the others. */
  static Malformation draw(SplittableRandom rng) {
    if (rng.nextInt(OVERSIZED_ONE_IN) == 0) {
      return OVERSIZED;
    }
    return values()[rng.nextInt(OVERSIZED.ordinal())];
  }

  /**
   * Breaks the document. {@code fields} are the declared fields' generators; {@code eventIdField}
   * is kept intact where the defect allows, so dead letters stay traceable.
   */
  byte[] apply(
      Map<String, Object> document,
      List<FieldValues> fields,
      String eventIdField,
      SplittableRandom rng) {
    Map<String, Object> doc = new LinkedHashMap<>(document);
    switch (this) {
      case TRUNCATED_JSON:
        return truncate(write(doc), rng);
      case WRONG_TYPE:
        {
          List<FieldValues> candidates = present(fields, doc);
          if (candidates.isEmpty()) {
            return TRUNCATED_JSON.apply(document, fields, eventIdField, rng);
          }
          FieldSpec f = pick(candidates, rng).spec();
          doc.put(f.name(), wrongType(f, doc.get(f.name())));
          return write(doc);
        }
      case MISSING_REQUIRED:
        {
          List<FieldValues> required = new ArrayList<>();
          for (FieldValues f : present(fields, doc)) {
            if (f.spec().required()) {
              required.add(f);
            }
          }
          if (required.isEmpty()) {
            return TRUNCATED_JSON.apply(document, fields, eventIdField, rng);
          }
          doc.remove(pick(required, rng).spec().name());
          return write(doc);
        }
      case INVALID_UTF8:
        return invalidUtf8(write(doc), rng);
      case DEEP_NESTING:
        {
          List<FieldValues> candidates = present(fields, doc);
          candidates.removeIf(f -> f.spec().name().equals(eventIdField));
          String key = candidates.isEmpty() ? "context" : pick(candidates, rng).spec().name();
          Map<String, Object> nested = new LinkedHashMap<>();
          for (int depth = 1; depth < NESTING_DEPTH; depth++) {
            nested = new LinkedHashMap<>(Map.of("d", nested));
          }
          doc.put(key, nested);
          return write(doc);
        }
      case OUT_OF_RANGE:
        {
          List<FieldValues> ranged = new ArrayList<>();
          for (FieldValues f : present(fields, doc)) {
            if (hasRange(f.spec())) {
              ranged.add(f);
            }
          }
          if (ranged.isEmpty()) {
            return WRONG_TYPE.apply(document, fields, eventIdField, rng);
          }
          FieldValues f = pick(ranged, rng);
          doc.put(f.spec().name(), outOfRange(f, rng));
          return write(doc);
        }
      case OVERSIZED:
        doc.put("debug_blob", FieldValues.token(rng, OVERSIZED_BYTES));
        return write(doc);
    }
    throw new AssertionError(this);
  }

  static byte[] write(Map<String, Object> doc) {
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a generated document", e);
    }
  }

  private static byte[] truncate(byte[] json, SplittableRandom rng) {
    // A connection cut mid-document: any proper prefix of a JSON object lacks its closing brace,
    // so it never parses. Keeping at least half keeps the event id in most cut records.
    int half = json.length / 2;
    int keep = half + rng.nextInt(Math.max(1, json.length - half));
    byte[] out = new byte[keep];
    System.arraycopy(json, 0, out, 0, keep);
    return out;
  }

  private static byte[] invalidUtf8(byte[] json, SplittableRandom rng) {
    byte[] bad = BAD_UTF8[rng.nextInt(BAD_UTF8.length)];
    // Right after the opening quote of the first string value: `":"` ends a key and starts one.
    int at = indexOf(json, "\":\"".getBytes(StandardCharsets.US_ASCII));
    int insert = at < 0 ? 1 : at + 3;
    byte[] out = new byte[json.length + bad.length];
    System.arraycopy(json, 0, out, 0, insert);
    System.arraycopy(bad, 0, out, insert, bad.length);
    System.arraycopy(json, insert, out, insert + bad.length, json.length - insert);
    return out;
  }

  private static Object wrongType(FieldSpec f, Object value) {
    return switch (f.kind()) {
      case LONG, DOUBLE -> "n/a";
      case BOOLEAN -> "maybe";
      case STRING, TIMESTAMP -> new LinkedHashMap<>(Map.of("value", String.valueOf(value)));
    };
  }

  private static boolean hasRange(FieldSpec f) {
    return switch (f.kind()) {
      case LONG, DOUBLE -> f.min() != null || f.max() != null;
      case STRING -> !f.allowed().isEmpty() || f.maxLength() != null;
      default -> false;
    };
  }

  private static Object outOfRange(FieldValues values, SplittableRandom rng) {
    FieldSpec f = values.spec();
    if (f.kind() == FieldKind.STRING) {
      if (!f.allowed().isEmpty()) {
        String candidate;
        do {
          candidate = "unknown-" + FieldValues.token(rng, 4);
        } while (f.allowed().contains(candidate.toLowerCase(Locale.ROOT)));
        return candidate;
      }
      return FieldValues.token(rng, f.maxLength() + 1 + rng.nextInt(16));
    }
    double span = Math.max(1.0, values.highest() - values.lowest());
    boolean above = f.max() != null && (f.min() == null || rng.nextBoolean());
    double v =
        above
            ? f.max() + 1 + rng.nextDouble() * span
            : f.min() - 1 - rng.nextDouble() * span;
    return f.kind() == FieldKind.LONG ? (Object) Math.round(v) : (Object) (Math.round(v * 100.0) / 100.0);
  }

  private static List<FieldValues> present(List<FieldValues> fields, Map<String, Object> doc) {
    List<FieldValues> out = new ArrayList<>();
    for (FieldValues f : fields) {
      if (doc.containsKey(f.spec().name())) {
        out.add(f);
      }
    }
    return out;
  }

  private static <T> T pick(List<T> items, SplittableRandom rng) {
    return items.get(rng.nextInt(items.size()));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
