package railyard.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A view computed by a Beam SQL statement over the prepared events, table {@code PCOLLECTION}, in
 * the view's windows. The SELECT's columns map onto the serving contract by name: the {@code keys}
 * columns form the row's key, each {@code metrics} column is a metric, and the column {@value
 * #EVENT_COUNT} (e.g. {@code COUNT(*) AS event_count}) is the row's event count.
 */
public record SqlViewSpec(String query, List<String> keys, List<String> metrics)
    implements Serializable {
  public static final String TABLE = "PCOLLECTION";
  public static final String EVENT_COUNT = "event_count";

  public SqlViewSpec {
    Objects.requireNonNull(query, "query");
    keys = List.copyOf(keys);
    metrics = List.copyOf(metrics);
  }
}
