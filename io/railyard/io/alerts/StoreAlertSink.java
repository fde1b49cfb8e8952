package railyard.io.alerts;

import railyard.io.serving.ServingStore;
import railyard.io.serving.ServingStoreException;
import railyard.model.Alert;

/** Records each alert in the serving store's {@code alerts} table, where the dashboard reads it. */
final class StoreAlertSink implements AlertSink {
  private final ServingStore store;

  StoreAlertSink(String location) {
    this.store = ServingStore.open(location);
  }

  @Override
  public String name() {
    return "store";
  }

  @Override
  public void deliver(Alert alert) throws AlertDeliveryException {
    record(alert);
  }

  /** Records {@code alert}; false if the table already held this change of its incident. */
  boolean record(Alert alert) throws AlertDeliveryException {
    try {
      return store.recordAlert(alert, System.currentTimeMillis());
    } catch (ServingStoreException e) {
      throw new AlertDeliveryException("the serving store did not take the alert: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
