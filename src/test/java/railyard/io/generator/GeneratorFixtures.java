package railyard.io.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;
import railyard.schema.GeneratorHint;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** A small clickstream schema, configs, and an independent checker of generated payloads. */
final class GeneratorFixtures {
  static final String ID = "event_id";
  static final String TS = "ts";
  static final int MAX_BYTES = 64 * 1024;
  static final int MAX_DEPTH = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  private GeneratorFixtures() {}

  static DeclaredSchema clicks() {
    return clicks(10_000);
  }

  static DeclaredSchema clicks(int userCardinality) {
    return new DeclaredSchema(
        "clicks",
        1,
        List.of(
            FieldSpec.of(ID, FieldKind.STRING).asRequired(),
            hinted(
                FieldSpec.of("user_id", FieldKind.STRING),
                new GeneratorHint(userCardinality, 1.0, "user-", null)),
            new FieldSpec(
                "country", FieldKind.STRING, false, null, null,
                List.of("us", "de", "fr", "in", "br", "jp"), true, true, null, false, null),
            new FieldSpec(
                "amount", FieldKind.DOUBLE, false, 0.0, 500.0, List.of(), false, false, null,
                false, new GeneratorHint(null, null, null, 40.0)),
            FieldSpec.of("mobile", FieldKind.BOOLEAN),
            FieldSpec.of(TS, FieldKind.TIMESTAMP).asRequired()));
  }

  static FieldSpec hinted(FieldSpec f, GeneratorHint hint) {
    return new FieldSpec(
        f.name(), f.kind(), f.required(), f.min(), f.max(), f.allowed(), f.trim(), f.lowercase(),
        f.maxLength(), f.coerce(), hint);
  }

  static GeneratorConfig config(long events, double duplicate, double malformed, double late) {
    return new GeneratorConfig(
        7L, events, 100.0, 0.0, Instant.parse("2026-01-01T00:00:00Z"), duplicate, malformed,
        late, Duration.standardSeconds(10), Duration.standardMinutes(2));
  }

  static EventGenerator generator(GeneratorConfig config) {
    return new EventGenerator(config, clicks(), ID, TS);
  }

  /** Parses a payload as a strict reader would; null when it is malformed for {@link #clicks()}. */
  static JsonNode validOrNull(byte[] payload) {
    if (payload.length > MAX_BYTES) {
      return null;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload));
      JsonNode doc = JSON.readTree(payload);
      if (doc == null || !doc.isObject() || depth(doc) > MAX_DEPTH) {
        return null;
      }
      for (FieldSpec f : clicks().fields()) {
        JsonNode v = doc.get(f.name());
        if (v == null || v.isNull()) {
          if (f.required()) {
            return null;
          }
          continue;
        }
        if (!typeAndRangeOk(f, v)) {
          return null;
        }
      }
      return doc;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static boolean typeAndRangeOk(FieldSpec f, JsonNode v) {
    switch (f.kind()) {
      case STRING:
        return v.isTextual()
            && (f.allowed().isEmpty()
                || f.allowed().contains(v.asText().trim().toLowerCase(Locale.ROOT)));
      case LONG:
      case DOUBLE:
        return v.isNumber()
            && (f.min() == null || v.asDouble() >= f.min())
            && (f.max() == null || v.asDouble() <= f.max());
      case BOOLEAN:
        return v.isBoolean();
      case TIMESTAMP:
        try {
          java.time.Instant.parse(v.asText());
          return v.isTextual();
        } catch (RuntimeException e) {
          return false;
        }
      default:
        return false;
    }
  }

  private static int depth(JsonNode node) {
    int max = 0;
    for (JsonNode child : node) {
      max = Math.max(max, depth(child));
    }
    return node.isContainerNode() ? max + 1 : 0;
  }

  static long eventTimeMillis(JsonNode doc) {
    return java.time.Instant.parse(doc.get(TS).asText()).toEpochMilli();
  }
}
