package railyard.io.alerts;

import railyard.model.Alert;

/** Alerts for the sink tests. */
final class Alerts {
  private Alerts() {}

  static Alert of(String id, Alert.Status status) {
    return new Alert(id, status, "pipeline", "clickstream", "invalid_spike", "critical", "_health",
        "", "invalid_ratio", 0.45, 0.2, 1_767_225_600_000L, 1_767_225_660_000L,
        "too many invalid records");
  }
}
