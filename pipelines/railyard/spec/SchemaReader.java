package railyard.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;
import railyard.schema.GeneratorHint;

/** Reads a spec's {@code schema:} block into a {@link DeclaredSchema}. */
final class SchemaReader {

  /** Names usable as columns in Parquet, SQL and BigQuery alike. */
  static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

  private static final List<String> SCHEMA_KEYS = List.of("table", "version", "versionField", "fields");
  private static final List<String> FIELD_KEYS =
      List.of(
          "name",
          "type",
          "required",
          "min",
          "max",
          "allowed",
          "trim",
          "lowercase",
          "maxLength",
          "coerce",
          "generate",
          "since");
  private static final List<String> GENERATE_KEYS =
      List.of("cardinality", "skew", "prefix", "mean");

  private SchemaReader() {}

  static DeclaredSchema read(SpecNode schema, String pipelineName) {
    schema.mapping(SCHEMA_KEYS);
    String table = schema.get("table").or(SchemaReader::identifier, pipelineName.replace('-', '_'));
    int version = schema.get("version").or(SpecNode::intValue, 1);
    if (version < 1) {
      throw schema.get("version").fail("must be 1 or more, got " + version);
    }
    SpecNode fieldsNode = schema.require("fields");
    List<FieldSpec> fields = new ArrayList<>();
    Map<String, Integer> since = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (SpecNode item : fieldsNode.items()) {
      FieldSpec field = field(item);
      if (!names.add(field.name())) {
        throw item.get("name").fail("duplicate field name '" + field.name() + "'");
      }
      fields.add(field);
      int added = since(item.get("since"), field, version);
      if (added > 1) {
        since.put(field.name(), added);
      }
    }
    if (fields.isEmpty()) {
      throw fieldsNode.fail("declare at least one field");
    }
    DeclaredSchema declared = new DeclaredSchema(table, version, fields);
    String versionField = schema.get("versionField").orNull(node -> versionField(node, declared));
    return new DeclaredSchema(table, version, fields, since, versionField);
  }

  /**
   * The version that added a field: at most the schema's version, and only nullable fields may be
   * added after version 1, so that every record of an older version still fits.
   */
  private static int since(SpecNode node, FieldSpec field, int version) {
    int added = node.or(SpecNode::intValue, 1);
    if (added < 1 || added > version) {
      throw node.fail("must be between 1 and the schema's version " + version + ", got " + added);
    }
    if (added > 1 && field.required()) {
      throw node.fail(
          "field '"
              + field.name()
              + "' is added in version "
              + added
              + ", so it cannot be required: only nullable fields can be added (records of"
              + " earlier versions do not have it)");
    }
    return added;
  }

  private static String versionField(SpecNode node, DeclaredSchema declared) {
    FieldSpec field = fieldOf(node, declared);
    if (field.kind() != FieldKind.LONG) {
      throw node.fail("the version field '" + field.name() + "' must be a long field");
    }
    return field.name();
  }

  static String identifier(SpecNode node) {
    String name = node.text();
    if (!IDENTIFIER.matcher(name).matches()) {
      throw node.fail(
          "'" + name + "' is not a valid name (a letter, then letters, digits or underscores)");
    }
    return name;
  }

  private static FieldSpec field(SpecNode item) {
    item.mapping(FIELD_KEYS);
    String name = identifier(item.require("name"));
    FieldKind kind = item.require("type").enumValue(FieldKind.class);
    boolean string = kind == FieldKind.STRING;
    boolean numeric = kind.isNumeric();

    Double min = onlyFor(numeric, item.get("min"), "numeric").orNull(SpecNode::number);
    Double max = onlyFor(numeric, item.get("max"), "numeric").orNull(SpecNode::number);
    if (min != null && max != null && min > max) {
      throw item.get("min").fail("min " + min + " is greater than max " + max);
    }
    boolean trim = onlyFor(string, item.get("trim"), "string").or(SpecNode::bool, false);
    boolean lowercase = onlyFor(string, item.get("lowercase"), "string").or(SpecNode::bool, false);
    Integer maxLength = onlyFor(string, item.get("maxLength"), "string").orNull(SpecNode::intValue);
    if (maxLength != null && maxLength < 1) {
      throw item.get("maxLength").fail("must be 1 or more, got " + maxLength);
    }
    List<String> allowed = allowed(onlyFor(string, item.get("allowed"), "string"), lowercase);
    return new FieldSpec(
        name,
        kind,
        item.get("required").or(SpecNode::bool, false),
        min,
        max,
        allowed,
        trim,
        lowercase,
        maxLength,
        item.get("coerce").or(SpecNode::bool, false),
        item.get("generate").orNull(g -> hint(g, kind)));
  }

  private static SpecNode onlyFor(boolean applies, SpecNode node, String what) {
    if (node.isPresent() && !applies) {
      throw node.fail("only applies to " + what + " fields");
    }
    return node;
  }

  private static List<String> allowed(SpecNode node, boolean lowercase) {
    List<String> values = new ArrayList<>();
    for (SpecNode item : node.items()) {
      String value = item.text();
      if (lowercase && !value.equals(value.toLowerCase(Locale.ROOT))) {
        throw item.fail(
            "'" + value + "' can never match: the field is lower-cased before it is checked");
      }
      if (values.contains(value)) {
        throw item.fail("duplicate allowed value '" + value + "'");
      }
      values.add(value);
    }
    if (node.isPresent() && values.isEmpty()) {
      throw node.fail("an empty list would reject every value; leave 'allowed' out instead");
    }
    return values;
  }

  private static GeneratorHint hint(SpecNode node, FieldKind kind) {
    node.mapping(GENERATE_KEYS);
    Integer cardinality = node.get("cardinality").orNull(SpecNode::intValue);
    if (cardinality != null && cardinality < 1) {
      throw node.get("cardinality").fail("must be 1 or more, got " + cardinality);
    }
    Double skew = node.get("skew").orNull(SpecNode::number);
    if (skew != null && skew < 0) {
      throw node.get("skew").fail("must be 0 or more, got " + skew);
    }
    @Nullable
    String prefix =
        onlyFor(kind == FieldKind.STRING, node.get("prefix"), "string").orNull(SpecNode::text);
    Double mean = onlyFor(kind.isNumeric(), node.get("mean"), "numeric").orNull(SpecNode::number);
    return new GeneratorHint(cardinality, skew, prefix, mean);
  }

  /** The schema field {@code node} names. */
  static FieldSpec fieldOf(SpecNode node, DeclaredSchema schema) {
    String name = node.text();
    return schema
        .field(name)
        .orElseThrow(
            () ->
                node.fail(
                    "'"
                        + name
                        + "' is not a field of the schema (fields: "
                        + schema.fields().stream()
                            .map(FieldSpec::name)
                            .collect(Collectors.joining(", "))
                        + ")"));
  }
}
