package railyard.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.joda.time.Duration;

/**
 * A windowed aggregation served to readers: metrics over group-by fields, or an SQL statement.
 *
 * @param groupBy the fields whose values form a row's key; empty for one key per window, and for
 *     an SQL view (its keys are columns of its SELECT)
 * @param metrics the metrics to compute; empty for an SQL view
 * @param earlyFiring how often to emit speculative results before the window closes; none for no
 *     early firings
 * @param allowedLateness how long after a window closes late events still update it
 */
public record ViewSpec(
    String name,
    WindowSpec window,
    List<String> groupBy,
    List<MetricSpec> metrics,
    @Nullable Duration earlyFiring,
    Duration allowedLateness,
    @Nullable SqlViewSpec sql)
    implements Serializable {

  public ViewSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(allowedLateness, "allowedLateness");
    groupBy = List.copyOf(groupBy);
    metrics = List.copyOf(metrics);
    if (sql != null && (!groupBy.isEmpty() || !metrics.isEmpty())) {
      throw new IllegalArgumentException(
          "view " + name + ": an SQL view names its keys and metrics in its SqlViewSpec");
    }
  }

  /** A view of {@code metrics} over {@code groupBy}. */
  public ViewSpec(
      String name,
      WindowSpec window,
      List<String> groupBy,
      List<MetricSpec> metrics,
      @Nullable Duration earlyFiring,
      Duration allowedLateness) {
    this(name, window, groupBy, metrics, earlyFiring, allowedLateness, null);
  }

  /** A view computed by the SQL statement {@code sql}. */
  public static ViewSpec ofSql(
      String name,
      WindowSpec window,
      SqlViewSpec sql,
      @Nullable Duration earlyFiring,
      Duration allowedLateness) {
    Objects.requireNonNull(sql, "sql");
    return new ViewSpec(name, window, List.of(), List.of(), earlyFiring, allowedLateness, sql);
  }

  /** The metric column names of this view's serving rows, in order. */
  public List<String> metricNames() {
    return sql != null ? sql.metrics() : metrics.stream().map(MetricSpec::name).toList();
  }
}
