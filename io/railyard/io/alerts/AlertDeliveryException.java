package railyard.io.alerts;

/** A sink gave up on an alert; the message says why, for the dead letter. */
public final class AlertDeliveryException extends Exception {
  public AlertDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }

  public AlertDeliveryException(String message) {
    super(message);
  }
}
