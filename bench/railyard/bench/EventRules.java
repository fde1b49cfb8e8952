package railyard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;
import railyard.spec.PipelineSpec;
import railyard.transforms.IsoInstants;
import railyard.transforms.Utf8;

/**
 * A spec's parse, validate and skew rules in plain Java, for the reference programs. It accepts
 * and rejects exactly what the pipeline's PrepareEvents does before deduplication, in one
 * streaming Jackson pass that checks each value as it is read, and keeps only what deduplication
 * and the views need ({@link Event}).
 *
 * <p>Where the pipeline's reader is general, this one does only the work the answer needs:
 * strings no rule reads are never turned into Java strings, duplicate keys are caught with a
 * flag per declared field instead of Jackson's per-object set of names, and timestamps in the
 * usual {@code 2026-01-01T00:00:00.000Z} form are read without {@code DateTimeFormatter}. Each
 * shortcut falls back to the general path whenever it cannot decide alone.
 *
 * <p>The views must group by one and the same field and compute only {@code count} and {@code
 * sum} of one and the same field, as the bench specs do; anything else is refused up front rather
 * than computed differently.
 */
final class EventRules implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int OK = 0;
  private static final int REJECT = 1;
  private static final int NESTED = 2;

  private final FieldSpec[] fields;
  private final int idIndex;
  private final int timeIndex;
  private final int keyIndex;
  private final int amountIndex; // -1 when no view sums a field
  private final int maxRecordBytes;
  private final int maxDepth;
  private final long allowedSkewMillis;

  // Built per instance on first use: a Flink task builds its own after deserialisation.
  private transient JsonFactory json;
  private transient JsonFactory strictJson;
  private transient Map<String, Integer> fieldIndex;
  private transient Set<String>[] allowed;
  private transient boolean[] needsText;
  private transient Slots slots;

  EventRules(PipelineSpec spec) {
    List<FieldSpec> declared = spec.schema().fields();
    fields = declared.toArray(new FieldSpec[0]);
    idIndex = indexOf(spec.dedupe().key());
    timeIndex = indexOf(spec.eventTime().field());
    if (fields[timeIndex].kind() != FieldKind.TIMESTAMP) {
      throw new IllegalArgumentException("the event-time field must be a timestamp");
    }
    keyIndex = indexOf(commonGroupBy(spec.views()));
    String summed = commonSumField(spec.views());
    amountIndex = summed == null ? -1 : indexOf(summed);
    maxRecordBytes = spec.limits().maxRecordBytes();
    maxDepth = spec.limits().maxDepth();
    allowedSkewMillis = spec.eventTime().allowedSkew().getMillis();
  }

  /** What a valid event carries on: its id, view key, event time, receipt time and amount. */
  static final class Event {
    String id;
    String key;
    long eventTime;
    long receivedAt;
    /** The summed field's value; NaN when the event has none (sums skip missing values). */
    double amount;
  }

  /**
   * Reads one payload into {@code out}. False for a dead letter: oversized, not UTF-8, not one
   * JSON object, a value of the wrong type, a broken rule, or an event time too far from receipt.
   */
  boolean read(long receivedAt, byte[] bytes, int offset, int length, Event out) {
    init();
    if (length > maxRecordBytes || !Utf8.isValid(bytes, offset, length)) {
      return false;
    }
    Slots s = slots;
    int outcome;
    try {
      outcome = parse(json, false, bytes, offset, length, s);
      if (outcome == NESTED) {
        // An undeclared field holds an object or array: only Jackson's own duplicate detection
        // sees duplicate keys inside it, so read the record again as the pipeline does.
        outcome = parse(strictJson, true, bytes, offset, length, s);
      }
    } catch (IOException e) {
      // Malformed JSON, a duplicate key, nesting past maxDepth (StreamConstraintsException).
      return false;
    }
    if (outcome != OK || !allRequiredPresent(s)) {
      return false;
    }
    long eventTime = s.longs[timeIndex];
    if (Math.abs(eventTime - receivedAt) > allowedSkewMillis) {
      return false;
    }
    // The id as parsed (the pipeline takes it before conforming); the key as conformed, "" when
    // missing, as the pipeline's view key writes a missing value.
    out.id = s.rawId != null ? s.rawId : s.asString(idIndex, fields[idIndex]);
    out.key = !s.present[keyIndex] ? "" : s.asString(keyIndex, fields[keyIndex]);
    out.eventTime = eventTime;
    out.receivedAt = receivedAt;
    out.amount =
        amountIndex >= 0 && s.present[amountIndex]
            ? s.asDouble(amountIndex, fields[amountIndex])
            : Double.NaN;
    return true;
  }

  /** One pass over the object: OK, REJECT, or NESTED when the fast pass must hand over. */
  private int parse(
      JsonFactory factory, boolean strict, byte[] bytes, int offset, int length, Slots s)
      throws IOException {
    s.clear();
    try (JsonParser parser = factory.createParser(bytes, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return REJECT;
      }
      JsonToken token;
      int expected = 0; // fields usually come in declared order
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        int index = expected < fields.length && fields[expected].name().equals(name)
            ? expected
            : fieldIndex.getOrDefault(name, -1);
        JsonToken value = parser.nextToken();
        if (index < 0) {
          if (s.otherNames.contains(name)) {
            return REJECT; // a duplicate key
          }
          s.otherNames.add(name);
          if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            if (!strict) {
              return NESTED;
            }
            parser.skipChildren();
          }
          continue;
        }
        if (s.seen[index] || !convert(parser, value, index, s)) {
          return REJECT;
        }
        s.seen[index] = true;
        expected = index + 1;
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return REJECT;
      }
    }
    return OK;
  }

  /**
   * Reads field {@code i}'s value into its slot and checks it against the field's rules; false if
   * it is of the wrong type or breaks a rule.
   */
  private boolean convert(JsonParser parser, JsonToken token, int i, Slots s) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return true; // as missing: only a required field minds, checked at the end
    }
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      return false;
    }
    FieldSpec field = fields[i];
    boolean coerce = field.coerce();
    switch (field.kind()) {
      case STRING:
        return (token == JsonToken.VALUE_STRING || (coerce && token.isScalarValue()))
            && string(parser, i, s);
      case LONG:
        if (token == JsonToken.VALUE_NUMBER_INT) {
          if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return false;
          }
          long value = parser.getLongValue();
          return s.setLong(i, value) && inRange(field, value);
        }
        if (coerce && (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_FLOAT)) {
          try {
            long value = new BigDecimal(parser.getText().trim()).longValueExact();
            return s.setLong(i, value) && inRange(field, value);
          } catch (NumberFormatException | ArithmeticException e) {
            return false;
          }
        }
        return false;
      case DOUBLE:
        if (token.isNumeric()) {
          double value = parser.getDoubleValue();
          return s.setDouble(i, value) && inRange(field, value);
        }
        if (coerce && token == JsonToken.VALUE_STRING) {
          try {
            double value = Double.parseDouble(parser.getText().trim());
            return s.setDouble(i, value) && inRange(field, value);
          } catch (NumberFormatException e) {
            return false;
          }
        }
        return false;
      case BOOLEAN:
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
          return s.setLong(i, token == JsonToken.VALUE_TRUE ? 1 : 0);
        }
        if (coerce && token == JsonToken.VALUE_STRING) {
          String text = parser.getText().trim();
          if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return s.setLong(i, text.equalsIgnoreCase("true") ? 1 : 0);
          }
        }
        return false;
      case TIMESTAMP:
        if (token == JsonToken.VALUE_STRING) {
          long millis;
          try {
            millis =
                IsoInstants.parseMillis(
                    parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
          } catch (DateTimeException | ArithmeticException e) {
            return false;
          }
          return s.setLong(i, millis);
        }
        return coerce && token == JsonToken.VALUE_NUMBER_INT && s.setLong(i, parser.getLongValue());
      default:
        return false;
    }
  }

  /** A string value, conformed (trimmed, lower-cased) and checked (maxLength, allowed). */
  private boolean string(JsonParser parser, int i, Slots s) throws IOException {
    FieldSpec field = fields[i];
    Integer maxLength = field.maxLength();
    if (!needsText[i]) {
      // Nothing reads this value but a length limit on it as written: no String needed.
      s.present[i] = true;
      return maxLength == null || parser.getTextLength() <= maxLength;
    }
    String text = parser.getText();
    if (i == idIndex) {
      s.rawId = text;
    }
    if (field.trim()) {
      text = text.strip();
    }
    if (field.lowercase()) {
      text = text.toLowerCase(Locale.ROOT);
    }
    s.texts[i] = text;
    s.present[i] = true;
    return (maxLength == null || text.length() <= maxLength)
        && (allowed[i] == null || allowed[i].contains(text));
  }

  private static boolean inRange(FieldSpec field, double number) {
    return (field.min() == null || number >= field.min())
        && (field.max() == null || number <= field.max());
  }

  private boolean allRequiredPresent(Slots s) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].required() && !s.present[i]) {
        return false;
      }
    }
    // The pipeline also requires the id and the event time when the spec leaves them optional.
    return s.present[idIndex] && s.present[timeIndex];
  }

  /** One record's values, a slot per declared field; reused from record to record. */
  private static final class Slots {
    final boolean[] seen; // the key was in the object, even with null
    final boolean[] present; // ... with a value
    final String[] texts;
    final long[] longs; // LONG, BOOLEAN (0/1) and TIMESTAMP (epoch millis)
    final double[] doubles;
    final List<String> otherNames = new ArrayList<>(); // keys of undeclared fields
    String rawId;

    Slots(int fields) {
      seen = new boolean[fields];
      present = new boolean[fields];
      texts = new String[fields];
      longs = new long[fields];
      doubles = new double[fields];
    }

    void clear() {
      Arrays.fill(seen, false);
      Arrays.fill(present, false);
      otherNames.clear();
      rawId = null;
    }

    boolean setLong(int i, long value) {
      longs[i] = value;
      present[i] = true;
      return true;
    }

    boolean setDouble(int i, double value) {
      doubles[i] = value;
      present[i] = true;
      return true;
    }

    double asDouble(int i, FieldSpec field) {
      return field.kind() == FieldKind.DOUBLE ? doubles[i] : (double) longs[i];
    }

    /** As the pipeline's {@code toString()} of the value (a key or an id need not be a string). */
    String asString(int i, FieldSpec field) {
      switch (field.kind()) {
        case STRING:
          return texts[i];
        case DOUBLE:
          return String.valueOf(doubles[i]);
        case BOOLEAN:
          return String.valueOf(longs[i] == 1);
        case TIMESTAMP:
          return new org.joda.time.Instant(longs[i]).toString();
        default:
          return String.valueOf(longs[i]);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void init() {
    if (json != null) {
      return;
    }
    StreamReadConstraints depth = StreamReadConstraints.builder().maxNestingDepth(maxDepth).build();
    json = JsonFactory.builder().streamReadConstraints(depth).build();
    strictJson =
        JsonFactory.builder()
            .streamReadConstraints(depth)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    fieldIndex = new HashMap<>();
    allowed = new Set[fields.length];
    needsText = new boolean[fields.length];
    for (int i = 0; i < fields.length; i++) {
      FieldSpec field = fields[i];
      fieldIndex.put(field.name(), i);
      allowed[i] = field.allowed().isEmpty() ? null : new HashSet<>(field.allowed());
      needsText[i] =
          i == idIndex
              || i == keyIndex
              || allowed[i] != null
              || ((field.trim() || field.lowercase()) && field.maxLength() != null);
    }
    slots = new Slots(fields.length);
  }

  private int indexOf(String name) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("field '" + name + "' is not declared in the schema");
  }

  private static String commonGroupBy(List<ViewSpec> views) {
    String key = null;
    for (ViewSpec view : views) {
      if (view.groupBy().size() != 1 || (key != null && !key.equals(view.groupBy().get(0)))) {
        throw new UnsupportedOperationException(
            "the reference programs need every view to group by the same single field");
      }
      key = view.groupBy().get(0);
    }
    if (key == null) {
      throw new IllegalArgumentException("the spec declares no views");
    }
    return key;
  }

  private static String commonSumField(List<ViewSpec> views) {
    String summed = null;
    for (ViewSpec view : views) {
      for (MetricSpec metric : view.metrics()) {
        boolean ok =
            metric.op() == MetricSpec.Op.COUNT
                || (metric.op() == MetricSpec.Op.SUM
                    && (summed == null || summed.equals(metric.field())));
        if (!ok) {
          throw new UnsupportedOperationException(
              "the reference programs compute count and the sum of one field only; view "
                  + view.name() + " asks for " + metric.op().label() + " of " + metric.field());
        }
        if (metric.op() == MetricSpec.Op.SUM) {
          summed = metric.field();
        }
      }
    }
    return summed;
  }
}
