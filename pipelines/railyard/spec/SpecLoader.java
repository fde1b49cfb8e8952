package railyard.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * Loads a pipeline spec from YAML and rejects, at launch, anything it cannot run: unknown keys,
 * wrong types, missing keys, bad values and references to fields the schema does not declare. The
 * first problem found is thrown as a {@link SpecException} naming the file and the key path. See
 * {@code examples/clickstream.yaml} for the shape, documented key by key.
 */
public final class SpecLoader {

  /** Pipeline names appear in lake paths and metric names. */
  private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  private static final List<String> TOP_KEYS =
      List.of(
          "name",
          "source",
          "schema",
          "eventTime",
          "dedupe",
          "allowedLateness",
          "limits",
          "outputs",
          "views",
          "alerts");
  private static final List<String> EVENT_TIME_KEYS = List.of("field", "allowedSkew");
  private static final List<String> DEDUPE_KEYS = List.of("key", "horizon");
  private static final List<String> LIMITS_KEYS = List.of("maxRecordBytes", "maxDepth");
  private static final List<String> OUTPUTS_KEYS = List.of("lake", "warehouse", "serving");

  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  // "no", "yes", "on" and "off" stay strings (NO is Norway);
                  // the only booleans are true and false
                  .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private SpecLoader() {}

  /** Loads the spec in {@code file}; messages name it as given. */
  public static PipelineSpec load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SpecException(file.toString(), "", "cannot read the spec: " + e, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses a spec's YAML text; {@code fileName} is only used in messages and {@link
   * PipelineSpec#file()}.
   */
  public static PipelineSpec parse(String yaml, String fileName) {
    SpecNode root = SpecNode.root(fileName, readTree(yaml, fileName));
    if (!root.isPresent()) {
      throw root.fail("the spec is empty; it should be a mapping starting with 'name:'");
    }
    root.mapping(TOP_KEYS);

    SpecNode nameNode = root.require("name");
    String name = nameNode.text();
    if (!PIPELINE_NAME.matcher(name).matches()) {
      throw nameNode.fail(
          "'"
              + name
              + "' is not a valid pipeline name (lower-case letters, digits, '-' and '_',"
              + " starting with a letter)");
    }
    SourceSpec source = SourceReader.read(root.require("source"));
    DeclaredSchema schema = SchemaReader.read(root.require("schema"), name);
    EventTimeSpec eventTime = eventTime(root.require("eventTime"), schema);
    DedupeSpec dedupe = dedupe(root.require("dedupe"), schema);
    SpecNode latenessNode = root.get("allowedLateness");
    var lateness = latenessNode.or(SpecNode::duration, PipelineSpec.DEFAULT_ALLOWED_LATENESS);
    Limits limits = root.get("limits").or(SpecLoader::limits, Limits.defaults());
    Outputs outputs = root.get("outputs").or(SpecLoader::outputs, Outputs.defaults());
    var views = new ViewReader(schema, lateness).read(root.get("views"));
    AlertsSpec alerts = AlertReader.read(root.get("alerts"), views, outputs);
    return new PipelineSpec(
        name, fileName, source, schema, eventTime, dedupe, lateness, limits, outputs, views,
        alerts);
  }

  private static JsonNode readTree(String yaml, String fileName) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = "";
      if (e.getProcessor() instanceof JsonParser parser) {
        where = keyPath(parser.getParsingContext().pathAsPointer().toString());
      }
      String problem = e.getOriginalMessage();
      if (problem.startsWith("Duplicate field")) {
        problem = "duplicate key";
      }
      var location = e.getLocation();
      String at =
          location == null || problem.contains("line ")
              ? ""
              : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
      throw new SpecException(fileName, where, problem + at, e);
    }
  }

  /** {@code /views/1/name} as {@code views[1].name}. */
  private static String keyPath(String pointer) {
    StringBuilder path = new StringBuilder();
    for (String step : pointer.split("/")) {
      if (step.isEmpty()) {
        continue;
      }
      if (step.chars().allMatch(Character::isDigit)) {
        path.append('[').append(step).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".")
            .append(step.replace("~1", "/").replace("~0", "~"));
      }
    }
    return path.toString();
  }

  private static EventTimeSpec eventTime(SpecNode node, DeclaredSchema schema) {
    node.mapping(EVENT_TIME_KEYS);
    SpecNode fieldNode = node.require("field");
    FieldSpec field = SchemaReader.fieldOf(fieldNode, schema);
    if (field.kind() != FieldKind.TIMESTAMP) {
      throw fieldNode.fail(
          "'" + field.name() + "' is not a timestamp field; event time must come from one");
    }
    SpecNode skew = node.get("allowedSkew");
    var allowedSkew = skew.or(SpecNode::duration, EventTimeSpec.DEFAULT_ALLOWED_SKEW);
    if (allowedSkew.getMillis() <= 0) {
      throw skew.fail("must be longer than 0");
    }
    return new EventTimeSpec(field.name(), allowedSkew);
  }

  private static DedupeSpec dedupe(SpecNode node, DeclaredSchema schema) {
    node.mapping(DEDUPE_KEYS);
    String key = SchemaReader.fieldOf(node.require("key"), schema).name();
    SpecNode horizonNode = node.get("horizon");
    var horizon = horizonNode.or(SpecNode::duration, DedupeSpec.DEFAULT_HORIZON);
    if (horizon.getMillis() <= 0) {
      throw horizonNode.fail("must be longer than 0");
    }
    return new DedupeSpec(key, horizon);
  }

  private static Limits limits(SpecNode node) {
    node.mapping(LIMITS_KEYS);
    return new Limits(
        positiveInt(node.get("maxRecordBytes"), Limits.DEFAULT_MAX_RECORD_BYTES),
        positiveInt(node.get("maxDepth"), Limits.DEFAULT_MAX_DEPTH));
  }

  private static int positiveInt(SpecNode node, int fallback) {
    int value = node.or(SpecNode::intValue, fallback);
    if (value < 1) {
      throw node.fail("must be 1 or more, got " + value);
    }
    return value;
  }

  private static Outputs outputs(SpecNode node) {
    node.mapping(OUTPUTS_KEYS);
    return new Outputs(
        node.get("lake").or(SpecNode::location, Outputs.DEFAULT_LAKE),
        node.get("warehouse").or(SpecNode::location, Outputs.DEFAULT_WAREHOUSE),
        node.get("serving").or(SpecNode::location, Outputs.DEFAULT_SERVING));
  }
}
