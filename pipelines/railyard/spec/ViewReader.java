package railyard.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.Nullable;
import org.joda.time.Duration;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;
import railyard.schema.MetricSpec;
import railyard.schema.MetricSpec.Op;
import railyard.schema.SqlViewSpec;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;
import railyard.transforms.SqlViewSchema;

/** Reads a spec's {@code views:} list, checking every field it names against the schema. */
final class ViewReader {

  /** Serving-row columns a metric may not be named after. */
  static final Set<String> SERVING_COLUMNS =
      Set.of(
          "view",
          "key",
          "window_start",
          "window_end",
          "event_count",
          "layer",
          "pane",
          "pane_index",
          "computed_at");

  private static final List<String> VIEW_KEYS =
      List.of(
          "name", "window", "groupBy", "metrics", "sql", "keys", "earlyFiring", "allowedLateness");
  private static final List<String> WINDOW_KEYS = List.of("type", "size", "period", "gap");
  private static final List<String> METRIC_KEYS = List.of("name", "op", "field");

  private final DeclaredSchema schema;
  private final Duration pipelineLateness;

  ViewReader(DeclaredSchema schema, Duration pipelineLateness) {
    this.schema = schema;
    this.pipelineLateness = pipelineLateness;
  }

  List<ViewSpec> read(SpecNode views) {
    List<ViewSpec> result = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (SpecNode item : views.items()) {
      ViewSpec view = view(item);
      if (!names.add(view.name())) {
        throw item.get("name").fail("duplicate view name '" + view.name() + "'");
      }
      result.add(view);
    }
    return result;
  }

  private ViewSpec view(SpecNode item) {
    item.mapping(VIEW_KEYS);
    String name = SchemaReader.identifier(item.require("name"));
    WindowSpec window = window(item.require("window"));
    Duration earlyFiring = item.get("earlyFiring").orNull(ViewReader::positive);
    Duration lateness = item.get("allowedLateness").or(SpecNode::duration, pipelineLateness);
    if (item.get("sql").isPresent()) {
      return ViewSpec.ofSql(name, window, sql(item), earlyFiring, lateness);
    }
    if (item.get("keys").isPresent()) {
      throw item.get("keys").fail("keys name the key columns of an SQL view; use groupBy here");
    }
    List<String> groupBy = groupBy(item.get("groupBy"));
    List<MetricSpec> metrics = metrics(item.require("metrics"));
    return new ViewSpec(name, window, groupBy, metrics, earlyFiring, lateness);
  }

  /**
   * An SQL view: its statement, and the names of the SELECT's key and metric columns; compiled
   * here against the prepared events, so a statement that cannot run fails the launch.
   */
  private SqlViewSpec sql(SpecNode item) {
    if (item.get("groupBy").isPresent()) {
      throw item.get("groupBy")
          .fail("an SQL view groups in its SQL; name the key columns of its SELECT under keys");
    }
    SpecNode query = item.get("sql");
    if (query.text().isBlank()) {
      throw query.fail("is empty; give a SELECT over the table " + SqlViewSpec.TABLE);
    }
    List<String> keys = columnNames(item.require("keys"), "keys");
    SpecNode metricsNode = item.require("metrics");
    List<String> metrics = columnNames(metricsNode, "metrics");
    if (metrics.isEmpty()) {
      throw metricsNode.fail("declare at least one metric column of the SELECT");
    }
    for (String metric : metrics) {
      if (SERVING_COLUMNS.contains(metric) || keys.contains(metric)) {
        throw metricsNode.fail(
            "metric column '" + metric + "' is a key or a serving-row column; alias it otherwise");
      }
    }
    SqlViewSpec sql = new SqlViewSpec(query.text(), keys, metrics);
    try {
      SqlViewSchema.of(sql, schema.rowSchema());
    } catch (IllegalArgumentException e) {
      throw query.fail(e.getMessage());
    }
    return sql;
  }

  private static List<String> columnNames(SpecNode list, String what) {
    List<String> names = new ArrayList<>();
    for (SpecNode item : list.items()) {
      String name = SchemaReader.identifier(item);
      if (names.contains(name)) {
        throw item.fail("'" + name + "' is already in " + what);
      }
      names.add(name);
    }
    return names;
  }

  private static WindowSpec window(SpecNode node) {
    node.mapping(WINDOW_KEYS);
    WindowSpec.Kind kind = node.require("type").enumValue(WindowSpec.Kind.class);
    switch (kind) {
      case FIXED:
        notFor(node, "period", "fixed");
        notFor(node, "gap", "fixed");
        return WindowSpec.fixed(positive(node.require("size")));
      case SLIDING:
        notFor(node, "gap", "sliding");
        Duration size = positive(node.require("size"));
        Duration period = positive(node.require("period"));
        if (period.isLongerThan(size)) {
          throw node.get("period")
              .fail(
                  "period "
                      + Durations.format(period)
                      + " is longer than the window size "
                      + Durations.format(size));
        }
        if (size.getMillis() % period.getMillis() != 0) {
          throw node.get("period")
              .fail(
                  "period "
                      + Durations.format(period)
                      + " does not divide the window size "
                      + Durations.format(size));
        }
        return WindowSpec.sliding(size, period);
      default:
        notFor(node, "size", "session");
        notFor(node, "period", "session");
        return WindowSpec.session(positive(node.require("gap")));
    }
  }

  private static void notFor(SpecNode window, String key, String type) {
    if (window.get(key).isPresent()) {
      throw window.get(key).fail("does not apply to a " + type + " window");
    }
  }

  private static Duration positive(SpecNode node) {
    Duration duration = node.duration();
    if (duration.getMillis() <= 0) {
      throw node.fail("must be longer than 0");
    }
    return duration;
  }

  private List<String> groupBy(SpecNode node) {
    List<String> fields = new ArrayList<>();
    for (SpecNode item : node.items()) {
      String field = SchemaReader.fieldOf(item, schema).name();
      if (fields.contains(field)) {
        throw item.fail("'" + field + "' is already in groupBy");
      }
      fields.add(field);
    }
    return fields;
  }

  private List<MetricSpec> metrics(SpecNode node) {
    List<MetricSpec> metrics = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (SpecNode item : node.items()) {
      MetricSpec metric = metric(item);
      if (!names.add(metric.name())) {
        throw item.get("name").fail("duplicate metric name '" + metric.name() + "'");
      }
      metrics.add(metric);
    }
    if (metrics.isEmpty()) {
      throw node.fail("declare at least one metric");
    }
    return metrics;
  }

  private MetricSpec metric(SpecNode item) {
    item.mapping(METRIC_KEYS);
    Op op = item.require("op").enumValue(Op.class);
    SpecNode fieldNode = item.get("field");
    @Nullable FieldSpec field = null;
    if (op == Op.COUNT) {
      if (fieldNode.isPresent()) {
        throw fieldNode.fail(
            "count counts events and takes no field; use distinct to count values");
      }
    } else {
      field = SchemaReader.fieldOf(item.require("field"), schema);
      boolean extreme = op == Op.MIN || op == Op.MAX;
      boolean fits =
          op == Op.DISTINCT
              || field.kind().isNumeric()
              || (extreme && field.kind() == FieldKind.TIMESTAMP);
      if (!fits) {
        throw fieldNode.fail(
            op.label()
                + (extreme ? " needs a numeric or timestamp field" : " needs a numeric field")
                + ", but '"
                + field.name()
                + "' is "
                + field.kind().name().toLowerCase(Locale.ROOT));
      }
    }
    String defaultName = field == null ? op.label() : op.label() + "_" + field.name();
    SpecNode nameNode = item.get("name");
    String name = nameNode.or(SchemaReader::identifier, defaultName);
    if (SERVING_COLUMNS.contains(name)) {
      throw (nameNode.isPresent() ? nameNode : item)
          .fail("metric name '" + name + "' is a serving-row column; choose another name");
    }
    return new MetricSpec(name, op, field == null ? null : field.name());
  }
}
