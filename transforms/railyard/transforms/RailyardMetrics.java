package railyard.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import railyard.model.DeadLetter;

/** The names of the Beam metrics every stage reports, in one place for the job's summary. */
public final class RailyardMetrics {
  public static final String NAMESPACE = "railyard";
  public static final String DEAD_LETTER_NAMESPACE = "railyard.deadletter";

  public static final String RECEIVED = "received";
  public static final String VALID = "valid";
  public static final String DUPLICATES = "duplicates";
  public static final String UNIQUE = "unique";
  public static final String ALERTS_OPENED = "alerts_opened";
  public static final String ALERTS_RESOLVED = "alerts_resolved";
  public static final String ALERTS_DELIVERED = "alerts_delivered";
  public static final String ALERT_DELIVERY_FAILURES = "alert_delivery_failures";
  public static final String ALERT_DELIVERY_RETRIES = "alert_delivery_retries";

  private RailyardMetrics() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  /** One counter per stage and reason, e.g. {@code parse/malformed_json}. */
  public static Counter deadLetters(DeadLetter.Stage stage, String reason) {
    return Metrics.counter(DEAD_LETTER_NAMESPACE, stage.label() + "/" + reason);
  }
}
