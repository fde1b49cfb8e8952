package railyard.io.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.model.Alert;

/** Writes each alert to the log as one line of JSON: warnings when they open, info when resolved. */
final class LogAlertSink implements AlertSink {
  private static final Logger LOG = LoggerFactory.getLogger("railyard.alerts");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void deliver(Alert alert) {
    if (alert.status() == Alert.Status.OPEN) {
      LOG.warn("ALERT {}", AlertJson.text(alert));
    } else {
      LOG.info("ALERT {}", AlertJson.text(alert));
    }
  }

  @Override
  public void close() {}
}
