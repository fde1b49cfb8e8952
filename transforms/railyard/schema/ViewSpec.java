package railyard.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.joda.time.Duration;

/**
 * A windowed aggregation served to readers.
 *
 * @param groupBy the fields whose values form a row's key; empty for one key per window
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
    Duration allowedLateness)
    implements Serializable {

  public ViewSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(allowedLateness, "allowedLateness");
    groupBy = List.copyOf(groupBy);
    metrics = List.copyOf(metrics);
  }
}
