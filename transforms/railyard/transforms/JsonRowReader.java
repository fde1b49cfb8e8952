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
    List<FieldSpec> fields = declared.fields();
    Object[] values = new Object[rowSchema.getFieldCount()];
    try {
      if (!parse(json, false, bytes, fields, values)) {
        Arrays.fill(values, null);
        parse(strictJson, true, bytes, fields, values);
      }
    } catch (StreamConstraintsException e) {
      throw new Rejection(
          RejectReason.TOO_DEEP, "nesting deeper than " + maxDepth + " levels: " + e.getMessage());
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
   */
  private boolean parse(
      JsonFactory factory, boolean strict, byte[] bytes, List<FieldSpec> fields, Object[] values)
      throws IOException, Rejection {
    boolean[] seen = new boolean[fields.size()];
    Set<String> otherNames = null;
    try (JsonParser parser = factory.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new Rejection(RejectReason.NOT_AN_OBJECT, "a record must be one JSON object");
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
        if (index < 0) {
          if (!strict) {
            if (otherNames == null) {
              otherNames = new HashSet<>();
            }
            if (!otherNames.add(name)) {
              throw duplicate(name);
            }
          }
          parser.skipChildren();
          continue;
        }
        if (!strict && seen[index]) {
          throw duplicate(name);
        }
        seen[index] = true;
        values[index] = convert(parser, valueToken, fields.get(index));
        expected = index + 1;
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new Rejection(RejectReason.MALFORMED_JSON, "trailing content after the object");
      }
    }
    return true;
  }

  /** Jackson's own words for it, as when it catches the duplicate itself. */
  private static Rejection duplicate(String name) {
    return new Rejection(RejectReason.MALFORMED_JSON, "Duplicate field '" + name + "'");
  }

  private static Object convert(JsonParser parser, JsonToken token, FieldSpec field)
      throws IOException, Rejection {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      parser.skipChildren();
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
    StreamReadConstraints depth = StreamReadConstraints.builder().maxNestingDepth(maxDepth).build();
    json = JsonFactory.builder().streamReadConstraints(depth).build();
    strictJson =
        JsonFactory.builder()
            .streamReadConstraints(depth)
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
