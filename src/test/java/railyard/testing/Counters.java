package railyard.testing;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** A finished run's Beam counters, as tests read them. */
public final class Counters {
  private Counters() {}

  /**
   * The counter {@code namespace/name} summed over every step that reports it: committed values
   * where the runner has them (the Direct runner's attempted ones can settle late), else attempted
   * ones (Flink has only those).
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
      total += valueOf(counter);
    }
    return total;
  }

  private static long valueOf(MetricResult<Long> counter) {
    try {
      return counter.getCommitted();
    } catch (UnsupportedOperationException attemptedOnly) {
      return counter.getAttempted();
    }
  }
}
