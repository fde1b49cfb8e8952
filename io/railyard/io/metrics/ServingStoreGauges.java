package railyard.io.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.LongSupplier;
import railyard.io.serving.ServingStore;
import railyard.io.serving.ViewStats;

/**
 * What a serving store holds, per view, as Prometheus gauges: {@code railyard_serving_rows} and
 * {@code railyard_serving_newest_window_age_seconds} (how long ago the view's newest window
 * ended: how far behind the view is; 0 while that window is still open, as an open session or a
 * window firing early ends in the future). Views that appear later get their series at the next
 * scrape.
 */
public final class ServingStoreGauges implements Runnable {
  private final ServingStore store;
  private final LongSupplier clock;
  private final MultiGauge rows;
  private final MultiGauge newestWindowAge;

  private ServingStoreGauges(PrometheusMetrics metrics, ServingStore store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
    this.rows =
        MultiGauge.builder("railyard.serving.rows")
            .description("Rows in the serving store, both layers, by view")
            .register(metrics.registry());
    this.newestWindowAge =
        MultiGauge.builder("railyard.serving.newest.window.age")
            .baseUnit("seconds")
            .description("Seconds since the view's newest window ended; 0 while it is open")
            .register(metrics.registry());
  }

  /** Adds {@code store}'s gauges to {@code metrics}, refreshed at every scrape. */
  public static void register(PrometheusMetrics metrics, ServingStore store, LongSupplier clock) {
    metrics.refreshing(new ServingStoreGauges(metrics, store, clock));
  }

  @Override
  public void run() {
    List<ViewStats> views = store.viewStats();
    long now = clock.getAsLong();
    rows.register(
        views.stream().map(v -> MultiGauge.Row.of(Tags.of("view", v.view()), v.rows())).toList(),
        true);
    newestWindowAge.register(
        views.stream()
            .map(v -> MultiGauge.Row.of(Tags.of("view", v.view()), secondsSinceEnd(v, now)))
            .toList(),
        true);
  }

  private static double secondsSinceEnd(ViewStats view, long now) {
    return Math.max(0, now - view.lastWindowEnd()) / 1000.0;
  }
}
