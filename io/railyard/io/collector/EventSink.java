package railyard.io.collector;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import railyard.model.RawEvent;

/**
 * Where accepted events go. The collector answers a request only when {@link #write}'s future has
 * completed, so a sink completes it only once the events are durable (on disk, or acknowledged by
 * the broker) and fails it otherwise.
 */
public interface EventSink extends AutoCloseable {

  /** Completes when all of {@code events} are durable; fails if any of them may not be. */
  CompletableFuture<Void> write(List<RawEvent> events);

  /** Whether the sink can take events now; the collector refuses requests with 503 when not. */
  boolean isUp();

  /** A short description for {@code GET /health}, e.g. {@code lake /data/lake}. */
  String describe();

  /** Writes what it holds, then releases its resources; later writes fail. */
  @Override
  void close();
}
