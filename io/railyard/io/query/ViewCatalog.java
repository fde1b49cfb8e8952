package railyard.io.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import railyard.io.serving.ServingStore;
import railyard.io.serving.ViewStats;

/**
 * The views a store holds, kept for a while: reading them scans the store, so requests check
 * their view against a copy at most {@link #CHECK_AGE_MILLIS} old (re-read at most once a second
 * when a view is not in it, so a flood of unknown views costs one scan a second), and the views
 * and freshness documents use a copy at most {@link #LIST_AGE_MILLIS} old.
 */
final class ViewCatalog {
  static final long CHECK_AGE_MILLIS = 30_000;
  static final long LIST_AGE_MILLIS = 2_000;
  private static final long UNKNOWN_VIEW_AGE_MILLIS = 1_000;

  private final ServingStore store;
  private final LongSupplier clock;
  private Map<String, ViewStats> views = Map.of();
  private long readAt = Long.MIN_VALUE;

  ViewCatalog(ServingStore store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Every view, from a copy at most {@link #LIST_AGE_MILLIS} old. */
  synchronized List<ViewStats> list() {
    return List.copyOf(readIfOlderThan(LIST_AGE_MILLIS).values());
  }

  private Map<String, ViewStats> readIfOlderThan(long maxAgeMillis) {
    long now = clock.getAsLong();
    if (readAt == Long.MIN_VALUE || now - readAt > maxAgeMillis) {
      Map<String, ViewStats> read = new LinkedHashMap<>();
      for (ViewStats stats : store.viewStats()) {
        read.put(stats.view(), stats);
      }
      views = read;
      readAt = now;
    }
    return views;
  }

  /** The view named {@code view}; 404 if the store has no rows of it. */
  synchronized ViewStats require(String view) {
    ViewStats stats = readIfOlderThan(CHECK_AGE_MILLIS).get(view);
    if (stats == null) {
      stats = readIfOlderThan(UNKNOWN_VIEW_AGE_MILLIS).get(view);
    }
    if (stats == null) {
      throw ApiException.notFound("Unknown view '" + Parameters.shortened(view) + "'");
    }
    return stats;
  }
}
