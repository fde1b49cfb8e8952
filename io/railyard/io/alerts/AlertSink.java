package railyard.io.alerts;

import railyard.model.Alert;

/** One place alerts are delivered to. Implementations retry as they see fit, then throw. */
public interface AlertSink extends AutoCloseable {

  /** A short name for messages and dead letters, e.g. {@code webhook}. */
  String name();

  /** Delivers {@code alert}; a sink that gives up throws {@link AlertDeliveryException}. */
  void deliver(Alert alert) throws AlertDeliveryException;

  @Override
  void close();
}
