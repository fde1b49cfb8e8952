package railyard.spec;

import java.io.Serializable;
import java.util.List;
import javax.annotation.Nullable;
import org.joda.time.Duration;
import railyard.io.alerts.AlertSinks;
import railyard.schema.AlertRule;

/**
 * A spec's {@code alerts:} block.
 *
 * @param rules thresholds checked in the pipeline on each complete window
 * @param freshness how old a view's newest window may grow before the query service's watchdog
 *     raises an alert (the pipeline has stopped, or nothing arrives); null for no watchdog
 * @param sinks where the pipeline's and the watchdog's alerts go
 */
public record AlertsSpec(List<AlertRule> rules, @Nullable Duration freshness, AlertSinks sinks)
    implements Serializable {

  public AlertsSpec {
    rules = List.copyOf(rules);
  }

  /** These alerts with the store sink, if there is one, at {@code serving}. */
  public AlertsSpec withServing(String serving) {
    return sinks.store() == null ? this : new AlertsSpec(rules, freshness, sinks.withStore(serving));
  }

  /** No rules, no watchdog: the spec said nothing about alerts. */
  public static AlertsSpec none() {
    return new AlertsSpec(List.of(), null, AlertSinks.logOnly());
  }
}
