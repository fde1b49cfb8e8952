package railyard.io.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import railyard.io.serving.ServingStore;
import railyard.io.serving.ViewStats;

/**
 * The views a store holds, read again at most once per {@code maxAgeMillis}, so that checking a
 * request's view and metric does not cost a scan of the store on every request.
 */
final class ViewCatalog {
  private final ServingStore store;
  private final long maxAgeMillis;
  private final LongSupplier clock;
  private Map<String, ViewStats> views = Map.of();
  private long readAt = Long.MIN_VALUE;

  ViewCatalog(ServingStore store, long maxAgeMillis, LongSupplier clock) {
    this.store = store;
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
  }

  /** Every view, read now. */
  synchronized List<ViewStats> refresh() {
    Map<String, ViewStats> read = new LinkedHashMap<>();
    for (ViewStats stats : store.viewStats()) {
      read.put(stats.view(), stats);
    }
    views = read;
    readAt = clock.getAsLong();
    return List.copyOf(read.values());
  }

  /** The view named {@code view}; 404 if the store has no rows of it. */
  synchronized ViewStats require(String view) {
    ViewStats stats = views.get(view);
    if (stats == null || clock.getAsLong() - readAt > maxAgeMillis) {
      refresh();
      stats = views.get(view);
    }
    if (stats == null) {
      throw ApiException.notFound("Unknown view '" + Parameters.shortened(view) + "'");
    }
    return stats;
  }
}
