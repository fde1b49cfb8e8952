package railyard.testing;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import railyard.transforms.RailyardMetrics;

/** A finished run's Beam counters, as tests read them. */
public final class Counters {
  private Counters() {}

  /**
   * The counter {@code namespace/name} summed over every step that reports it, each step's value
   * as {@link RailyardMetrics#valueOf} reads it.
   */
  public static long sum(PipelineResult result, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      total += RailyardMetrics.valueOf(counter);
    }
    return total;
  }
}
