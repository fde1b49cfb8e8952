package railyard.io.alerts;

import java.util.ArrayList;
import java.util.List;
import railyard.model.Alert;
import railyard.transforms.RailyardMetrics;

/**
 * One alert through a list of sinks, the store (if any) first as the ledger of what was delivered.
 * Shared by the pipeline ({@link DeliverAlerts}) and the query service's watchdog.
 */
public final class AlertDelivery {
  private final List<AlertSink> sinks;

  public AlertDelivery(List<AlertSink> sinks) {
    this.sinks = sinks;
  }

  /**
   * Delivers {@code alert}; returns one line per sink that gave up ("webhook: why"), empty when all
   * took it, or when the store already held it (a repeat, delivered before).
   */
  public List<String> deliver(Alert alert) {
    List<String> failures = new ArrayList<>();
    for (AlertSink sink : sinks) {
      try {
        if (sink instanceof StoreAlertSink store && !store.record(alert)) {
          return failures;
        }
        if (!(sink instanceof StoreAlertSink)) {
          sink.deliver(alert);
        }
        RailyardMetrics.counter(RailyardMetrics.ALERTS_DELIVERED).inc();
      } catch (AlertDeliveryException e) {
        failures.add(sink.name() + ": " + e.getMessage());
      }
    }
    return failures;
  }
}
