package railyard.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import railyard.model.RawEvent;
import railyard.schema.FieldSpec;
import railyard.spec.PipelineSpec;

/**
 * A plain-Java model of preparation, written apart from the transforms: which raw events are valid,
 * their values, and which are the first copy of their id. The pipeline must agree with it.
 */
final class ModelRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A valid event's values by field name, its event time and its id. */
  record Valid(String id, long eventTime, Map<String, Object> values) {}

  private final PipelineSpec spec;
  private final Set<String> seenIds = new HashSet<>();
  int invalid;
  int duplicates;

  ModelRecords(PipelineSpec spec) {
    this.spec = spec;
  }

  /** The event if it is valid and the first of its id; empty otherwise (and counted). */
  Optional<Valid> accept(RawEvent event) {
    Optional<Valid> valid = validate(event);
    if (valid.isEmpty()) {
      invalid++;
      return valid;
    }
    if (!seenIds.add(valid.get().id())) {
      duplicates++;
      return Optional.empty();
    }
    return valid;
  }

  private Optional<Valid> validate(RawEvent event) {
    byte[] bytes = event.payload();
    if (bytes.length > spec.limits().maxRecordBytes() || !isUtf8(bytes)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (Exception e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject() || depth(root) > spec.limits().maxDepth()) {
      return Optional.empty();
    }
    Map<String, Object> values = new HashMap<>();
    for (FieldSpec field : spec.schema().fields()) {
      JsonNode node = root.get(field.name());
      Object value = node == null || node.isNull() ? null : typed(field, node);
      if (value == INVALID) {
        return Optional.empty();
      }
      if (value instanceof String text) {
        if (field.trim()) {
          text = text.strip();
        }
        if (field.lowercase()) {
          text = text.toLowerCase(java.util.Locale.ROOT);
        }
        if ((field.maxLength() != null && text.length() > field.maxLength())
            || (!field.allowed().isEmpty() && !field.allowed().contains(text))) {
          return Optional.empty();
        }
        value = text;
      }
      if (value instanceof Number number
          && ((field.min() != null && number.doubleValue() < field.min())
              || (field.max() != null && number.doubleValue() > field.max()))) {
        return Optional.empty();
      }
      if (value == null && field.required()) {
        return Optional.empty();
      }
      values.put(field.name(), value);
    }
    Object id = values.get(spec.dedupe().key());
    Object time = values.get(spec.eventTime().field());
    if (id == null || time == null) {
      return Optional.empty();
    }
    long eventTime = (Long) time;
    if (Math.abs(eventTime - event.receivedAt()) > spec.eventTime().allowedSkew().getMillis()) {
      return Optional.empty();
    }
    return Optional.of(new Valid(id.toString(), eventTime, values));
  }

  private static final Object INVALID = new Object();

  private static Object typed(FieldSpec field, JsonNode node) {
    boolean coerce = field.coerce();
    switch (field.kind()) {
      case STRING:
        return node.isTextual() ? node.asText() : coerce && node.isValueNode() ? node.asText() : INVALID;
      case LONG:
        if (node.isIntegralNumber() && node.canConvertToLong()) {
          return node.asLong();
        }
        return INVALID;
      case DOUBLE:
        if (node.isNumber()) {
          return node.asDouble();
        }
        if (coerce && node.isTextual()) {
          try {
            return Double.parseDouble(node.asText().trim());
          } catch (NumberFormatException e) {
            return INVALID;
          }
        }
        return INVALID;
      case BOOLEAN:
        return node.isBoolean() ? node.asBoolean() : INVALID;
      case TIMESTAMP:
        if (node.isTextual()) {
          try {
            return Instant.parse(node.asText().trim()).toEpochMilli();
          } catch (Exception e) {
            return INVALID;
          }
        }
        return coerce && node.isIntegralNumber() ? node.asLong() : INVALID;
      default:
        return INVALID;
    }
  }

  private static int depth(JsonNode node) {
    int deepest = 0;
    for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
      deepest = Math.max(deepest, depth(children.next()));
    }
    return node.isContainerNode() ? deepest + 1 : deepest;
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
