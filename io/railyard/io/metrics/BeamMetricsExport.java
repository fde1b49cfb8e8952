package railyard.io.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import railyard.transforms.RailyardMetrics;

/**
 * A running pipeline's Railyard metrics as Prometheus series, read from its {@code
 * PipelineResult.metrics()} at each scrape and summed over the steps that report them:
 *
 * <ul>
 *   <li>{@code railyard_job_<counter>_total}, e.g. {@code railyard_job_received_total};
 *   <li>{@code railyard_job_view_rows_total{view}} and {@code railyard_job_serving_rows_total{view}}
 *       for the per-view counters;
 *   <li>{@code railyard_job_dead_letters_total{stage,reason}};
 *   <li>{@code railyard_job_late_dropped_total}, Beam's own count of events beyond the allowed
 *       lateness;
 *   <li>{@code railyard_job_<distribution>{stat}} with {@code stat} count, sum, min, max and mean.
 * </ul>
 *
 * Values are the attempted ones: a running job has no committed values yet.
 */
public final class BeamMetricsExport implements Runnable {
  static final String PREFIX = "railyard.job.";
  private static final String LATE_DROPPED = "droppedDueToLateness";

  private final Supplier<MetricResults> results;
  private final MeterRegistry registry;
  private final Map<Series, Double> values = new ConcurrentHashMap<>();

  /** One exported series: a metric name and its labels. */
  private record Series(String name, Tags tags, boolean counter) {}

  private BeamMetricsExport(Supplier<MetricResults> results, MeterRegistry registry) {
    this.results = results;
    this.registry = registry;
  }

  /** Adds the metrics of the pipeline whose results {@code results} gives to {@code metrics}. */
  public static void register(PrometheusMetrics metrics, Supplier<MetricResults> results) {
    metrics.refreshing(new BeamMetricsExport(results, metrics.registry()));
  }

  @Override
  public void run() {
    MetricQueryResults query = results.get().queryMetrics(MetricsFilter.builder().build());
    Map<Series, Double> latest = new HashMap<>();
    for (MetricResult<Long> counter : query.getCounters()) {
      Series series = counterSeries(counter.getName().getNamespace(), counter.getName().getName());
      if (series != null) {
        latest.merge(series, (double) counter.getAttempted(), Double::sum);
      }
    }
    Map<String, DistributionResult> distributions = new HashMap<>();
    for (MetricResult<DistributionResult> distribution : query.getDistributions()) {
      if (distribution.getName().getNamespace().equals(RailyardMetrics.NAMESPACE)) {
        distributions.merge(
            distribution.getName().getName(), distribution.getAttempted(), BeamMetricsExport::combine);
      }
    }
    distributions.forEach(
        (name, d) -> {
          latest.put(stat(name, "count"), (double) d.getCount());
          latest.put(stat(name, "sum"), (double) d.getSum());
          if (d.getCount() > 0) {
            latest.put(stat(name, "min"), (double) d.getMin());
            latest.put(stat(name, "max"), (double) d.getMax());
            latest.put(stat(name, "mean"), d.getMean());
          }
        });
    latest.forEach(this::publish);
  }

  private void publish(Series series, double value) {
    if (values.put(series, value) != null) {
      return;
    }
    if (series.counter()) {
      FunctionCounter.builder(series.name(), values, v -> v.getOrDefault(series, 0.0))
          .tags(series.tags())
          .register(registry);
    } else {
      Gauge.builder(series.name(), values, v -> v.getOrDefault(series, Double.NaN))
          .tags(series.tags())
          .register(registry);
    }
  }

  /** The series a Beam counter is exported as, or null for counters of other libraries. */
  private static Series counterSeries(String namespace, String name) {
    if (name.equalsIgnoreCase(LATE_DROPPED)) {
      return new Series(PREFIX + "late.dropped", Tags.empty(), true);
    }
    int slash = name.indexOf('/');
    if (namespace.equals(RailyardMetrics.DEAD_LETTER_NAMESPACE) && slash > 0) {
      return new Series(
          PREFIX + "dead.letters",
          Tags.of("stage", name.substring(0, slash), "reason", name.substring(slash + 1)),
          true);
    }
    if (!namespace.equals(RailyardMetrics.NAMESPACE)) {
      return null;
    }
    if (slash > 0) {
      return new Series(
          PREFIX + name.substring(0, slash), Tags.of("view", name.substring(slash + 1)), true);
    }
    return new Series(PREFIX + name, Tags.empty(), true);
  }

  private static Series stat(String distribution, String stat) {
    return new Series(PREFIX + distribution, Tags.of("stat", stat), false);
  }

  private static DistributionResult combine(DistributionResult a, DistributionResult b) {
    return DistributionResult.create(
        a.getSum() + b.getSum(),
        a.getCount() + b.getCount(),
        Math.min(a.getMin(), b.getMin()),
        Math.max(a.getMax(), b.getMax()));
  }
}
