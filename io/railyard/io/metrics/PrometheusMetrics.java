package railyard.io.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One service's metrics in a Micrometer registry, scraped in the Prometheus text format. Figures
 * read from elsewhere (a serving store, a running pipeline) refresh just before each scrape, so a
 * scrape always shows them as they are, without a polling thread.
 */
public final class PrometheusMetrics {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  public static final String PATH = "/metrics";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

  public MeterRegistry registry() {
    return registry;
  }

  /** Runs {@code refresh} before every scrape; a refresh that fails leaves the last figures. */
  public PrometheusMetrics refreshing(Runnable refresh) {
    beforeScrape.add(refresh);
    return this;
  }

  /** Every metric, in the Prometheus text exposition format 0.0.4. */
  public String scrape() {
    for (Runnable refresh : beforeScrape) {
      try {
        refresh.run();
      } catch (RuntimeException e) {
        registry.counter("railyard.metrics.refresh.failures").increment();
      }
    }
    return registry.scrape();
  }
}
