package railyard.transforms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldSpec;

/**
 * Reads one JSON object into a row of the declared schema in a single streaming pass: no tree is
 * built, unknown fields are skipped, and each value is converted to its declared type.
 */
final class JsonRowReader implements Serializable {
  /** The most characters a number may have; longer ones are {@code number_too_long}. */
  static final int MAX_NUMBER_LENGTH = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

  private final DeclaredSchema declared;
  private final String eventIdField;
  private final String eventTimeField;
  private final int maxRecordBytes;
  private final int maxDepth;

  private transient JsonFactory json;
  private transient JsonFactory strictJson;
  private transient String[] fieldNames;
  private transient Schema rowSchema;
  private transient Map<String, Integer> fieldIndex;
  private transient int eventIdIndex;
  private transient int eventTimeIndex;

  JsonRowReader(
      DeclaredSchema declared,
      String eventIdField,
      String eventTimeField,
      int maxRecordBytes,
      int maxDepth) {
    this.declared = declared;
    this.eventIdField = eventIdField;
    this.eventTimeField = eventTimeField;
    this.maxRecordBytes = maxRecordBytes;
    this.maxDepth = maxDepth;
  }

  Schema rowSchema() {
    init();
    return rowSchema;
  }

  Row read(RawEvent event) throws Rejection {
    init();
    byte[] bytes = event.payload();
    if (bytes.length > maxRecordBytes) {
      throw new Rejection(
          RejectReason.OVERSIZED,
          "record is " + bytes.length + " bytes; the limit is " + maxRecordBytes);
    }
    if (!Utf8.isValid(bytes)) {
      throw new Rejection(RejectReason.INVALID_UTF8, "record is not valid UTF-8");
    }
    boolean escaped = LoneSurrogates.mayOccurIn(bytes);
    List<FieldSpec> fields = declared.fields();
    Object[] values = new Object[rowSchema.getFieldCount()];
    try {
      if (!parse(json, false, bytes, escaped, fields, values)) {
        Arrays.fill(values, null);
        parse(strictJson, true, bytes, escaped, fields, values);
      }
    } catch (StreamConstraintsException e) {
      // Depth and string length are checked here and by maxRecordBytes, not by Jackson: the one
      // constraint left to it is a number's length (a Jackson that adds others must map them).
      throw new Rejection(RejectReason.NUMBER_TOO_LONG, e.getMessage());
    } catch (JsonProcessingException e) {
      throw new Rejection(RejectReason.MALFORMED_JSON, e.getOriginalMessage());
    } catch (IOException e) {
      throw new Rejection(RejectReason.MALFORMED_JSON, String.valueOf(e.getMessage()));
    }
    int declaredCount = fields.size();
    Object id = values[eventIdIndex];
    values[declaredCount] = id == null ? null : id.toString();
    values[declaredCount + 1] = values[eventTimeIndex];
    values[declaredCount + 2] = new Instant(event.receivedAt());
    values[declaredCount + 3] = event.source();
    return Row.withSchema(rowSchema).attachValues(Arrays.asList(values));
  }

  /**
   * One pass over the object into {@code values}. Duplicate keys are caught by a flag per declared
   * field and a set of the other names, which is cheaper than Jackson's set of every name per
   * object; but only Jackson sees keys inside nested values, so the fast pass ({@code strict}
   * false) gives up at the first object or array, returning false, and the record is read again
   * with Jackson's duplicate detection. Declared fields hold scalars, so valid records never do.
   * Names and strings are checked for lone surrogates only when the record has {@code escaped}
   * characters, the one way to write one.
   */
  private boolean parse(
      JsonFactory factory,
      boolean strict,
      byte[] bytes,
      boolean escaped,
      List<FieldSpec> fields,
      Object[] values)
      throws IOException, Rejection {
    boolean[] seen = new boolean[fields.size()];
    Set<String> otherNames = null;
    try (JsonParser parser = factory.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw notAnObject(parser, first, bytes.length);
      }
      int expected = 0; // fields usually come in their declared order
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        int index =
            expected < fieldNames.length && fieldNames[expected].equals(name)
                ? expected
                : fieldIndex.getOrDefault(name, -1);
        JsonToken valueToken = parser.nextToken();
        if (!strict && (valueToken == JsonToken.START_OBJECT || valueToken == JsonToken.START_ARRAY)) {
          return false;
        }
        if (escaped) {
          requireUnicode(null, name);
          if (valueToken == JsonToken.VALUE_STRING) {
            requireUnicode(name, parser.getText());
          }
        }
        if (index < 0) {
          if (!strict) {
            if (otherNames == null) {
              otherNames = new HashSet<>();
            }
            if (!otherNames.add(name)) {
              throw duplicate(name);
            }
          }
          skipNested(parser, valueToken, escaped, name);
          continue;
        }
        if (!strict && seen[index]) {
          throw duplicate(name);
        }
        seen[index] = true;
        values[index] = convert(parser, valueToken, fields.get(index), escaped);
        expected = index + 1;
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new Rejection(RejectReason.MALFORMED_JSON, "trailing content after the object");
      }
    }
    return true;
  }

  /**
   * The rejection of a record whose first token {@code first} is not an object's start: empty,
   * not JSON at all, or JSON of another kind, which only reading the rest can tell apart.
   */
  private static Rejection notAnObject(JsonParser parser, JsonToken first, int bytes)
      throws IOException {
    if (first == null) {
      return new Rejection(
          RejectReason.EMPTY,
          bytes == 0 ? "the payload is empty" : "the payload holds only whitespace");
    }
    parser.skipChildren();
    if (parser.nextToken() != null) {
      return new Rejection(RejectReason.MALFORMED_JSON, "more than one JSON value");
    }
    return new Rejection(
        RejectReason.NOT_AN_OBJECT, "a record must be one JSON object, not " + describe(first));
  }

  /**
   * Skips the object or array that {@code token} starts (nothing for a scalar), rejecting it if it
   * nests too deep or, when the record has escapes, holds a lone surrogate in a name or string.
   */
  private void skipNested(JsonParser parser, JsonToken token, boolean escaped, String field)
      throws IOException, Rejection {
    if (!token.isStructStart()) {
      return;
    }
    int open = 0;
    do {
      if (token.isStructStart()) {
        open++;
        int depth = parser.getParsingContext().getNestingDepth();
        if (depth > maxDepth) {
          throw new Rejection(
              RejectReason.TOO_DEEP,
              "field '" + field + "': nesting deeper than " + maxDepth + " levels");
        }
      } else if (token.isStructEnd()) {
        open--;
      } else if (escaped && (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING)) {
        requireUnicode(field, parser.getText());
      }
    } while (open > 0 && (token = parser.nextToken()) != null);
  }

  /**
   * Rejects {@code text}, a name or string in {@code field} (null: {@code text} is a top-level
   * name), if it holds a lone surrogate.
   */
  private static void requireUnicode(String field, String text) throws Rejection {
    int at = LoneSurrogates.indexIn(text);
    if (at >= 0) {
      String escape = String.format(Locale.ROOT, "\\u%04x", (int) text.charAt(at));
      throw new Rejection(
          RejectReason.LONE_SURROGATE,
          (field == null ? "a field name" : "field '" + field + "'") + ": " + escape
              + " is a lone surrogate, which is not Unicode text");
    }
  }

  /** Jackson's own words for it, as when it catches the duplicate itself. */
  private static Rejection duplicate(String name) {
    return new Rejection(RejectReason.MALFORMED_JSON, "Duplicate field '" + name + "'");
  }

  private Object convert(JsonParser parser, JsonToken token, FieldSpec field, boolean escaped)
      throws IOException, Rejection {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      skipNested(parser, token, escaped, field.name());
      throw wrongType(field, token == JsonToken.START_OBJECT ? "an object" : "an array");
    }
    boolean coerce = field.coerce();
    switch (field.kind()) {
      case STRING:
        if (token == JsonToken.VALUE_STRING || (coerce && token.isScalarValue())) {
          return parser.getText();
        }
        break;
      case LONG:
        if (token == JsonToken.VALUE_NUMBER_INT) {
          if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Rejection(
                RejectReason.OUT_OF_RANGE, "field '" + field.name() + "': does not fit a long");
          }
          return parser.getLongValue();
        }
        if (coerce && (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_FLOAT)) {
          return coerceLong(parser.getText(), field);
        }
        break;
      case DOUBLE:
        if (token.isNumeric()) {
          return parser.getDoubleValue();
        }
        if (coerce && token == JsonToken.VALUE_STRING) {
          try {
            return Double.parseDouble(parser.getText().trim());
          } catch (NumberFormatException e) {
            break;
          }
        }
        break;
      case BOOLEAN:
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
          return token == JsonToken.VALUE_TRUE;
        }
        if (coerce && token == JsonToken.VALUE_STRING) {
          String text = parser.getText().trim();
          if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
          }
        }
        break;
      case TIMESTAMP:
        if (token == JsonToken.VALUE_STRING) {
          try {
            return new Instant(
                IsoInstants.parseMillis(
                    parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength()));
          } catch (DateTimeParseException e) {
            throw new Rejection(
                RejectReason.WRONG_TYPE,
                "field '" + field.name() + "': '" + parser.getText()
                    + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
          }
        }
        if (coerce && token == JsonToken.VALUE_NUMBER_INT) {
          return new Instant(parser.getLongValue());
        }
        break;
    }
    throw wrongType(field, describe(token));
  }

  private static long coerceLong(String text, FieldSpec field) throws Rejection {
    try {
      return new BigDecimal(text.trim()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw wrongType(field, "'" + text + "'");
    }
  }

  private static Rejection wrongType(FieldSpec field, String found) {
    return new Rejection(
        RejectReason.WRONG_TYPE,
        "field '" + field.name() + "': expected " + field.kind().name().toLowerCase(Locale.ROOT)
            + ", found " + found);
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      default:
        return token.asString() == null ? token.name() : token.asString();
    }
  }

  private void init() {
    if (json != null) {
      return;
    }
    // skipNested checks the depth, with its own reason; maxRecordBytes bounds a string.
    StreamReadConstraints limits =
        StreamReadConstraints.builder()
            .maxNestingDepth(Integer.MAX_VALUE)
            .maxStringLength(Integer.MAX_VALUE)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build();
    json = JsonFactory.builder().streamReadConstraints(limits).build();
    strictJson =
        JsonFactory.builder()
            .streamReadConstraints(limits)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    rowSchema = declared.parsedSchema();
    fieldIndex = new HashMap<>();
    List<FieldSpec> fields = declared.fields();
    fieldNames = new String[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      fieldNames[i] = fields.get(i).name();
      fieldIndex.put(fieldNames[i], i);
    }
    eventIdIndex = indexOf(eventIdField);
    eventTimeIndex = indexOf(eventTimeField);
  }

  private int indexOf(String name) {
    Integer index = fieldIndex.get(name);
    if (index == null) {
      throw new IllegalArgumentException(
          "field '" + name + "' is not declared in schema " + declared.table());
    }
    return index;
  }
}
