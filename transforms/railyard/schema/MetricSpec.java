package railyard.schema;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One metric of a view.
 *
 * @param name the metric's column name in serving rows
 * @param op what to compute
 * @param field the input field; none for {@link Op#COUNT}, which counts events
 */
public record MetricSpec(String name, Op op, @Nullable String field) implements Serializable {

  /** The aggregations a view may compute. */
  public enum Op {
    COUNT,
    SUM,
    MIN,
    MAX,
    MEAN,
    /** Exact distinct count, over 64-bit fingerprints of the values. */
    DISTINCT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public MetricSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(op, "op");
  }
}
