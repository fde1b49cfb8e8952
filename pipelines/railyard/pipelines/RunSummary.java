package railyard.pipelines;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import railyard.spec.Durations;
import railyard.spec.PipelineSpec;
import railyard.transforms.RailyardMetrics;

/** What a run did, read from its Beam metrics, and where its results are. */
public record RunSummary(
    PipelineSpec spec,
    String mode,
    String runner,
    long millis,
    Map<String, Long> counters,
    Map<String, Long> deadLetters,
    Map<String, Long> servingRows,
    Map<String, DistributionResult> distributions,
    long lateDropped) {

  /**
   * Beam's own counter of events later than a window's allowed lateness; runners spell it
   * {@code droppedDueToLateness} or {@code DroppedDueToLateness}, in namespaces of their own.
   */
  static final String DROPPED_DUE_TO_LATENESS = "droppedDueToLateness";

  static RunSummary of(PipelineResult result, RailyardJob job, String runner, long millis) {
    Map<String, Long> counters = new TreeMap<>();
    Map<String, Long> deadLetters = new TreeMap<>();
    Map<String, Long> servingRows = new TreeMap<>();
    Map<String, DistributionResult> distributions = new TreeMap<>();
    long lateDropped = 0;
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<DistributionResult> distribution : metrics.getDistributions()) {
      if (distribution.getName().getNamespace().equals(RailyardMetrics.NAMESPACE)) {
        distributions.merge(
            distribution.getName().getName(), RailyardMetrics.valueOf(distribution), RunSummary::combine);
      }
    }
    for (MetricResult<Long> counter : metrics.getCounters()) {
      String namespace = counter.getName().getNamespace();
      String name = counter.getName().getName();
      long value = RailyardMetrics.valueOf(counter);
      if (name.equalsIgnoreCase(DROPPED_DUE_TO_LATENESS)) {
        lateDropped += value;
      } else if (namespace.equals(RailyardMetrics.DEAD_LETTER_NAMESPACE)) {
        deadLetters.merge(name, value, Long::sum);
      } else if (!namespace.equals(RailyardMetrics.NAMESPACE)) {
        continue;
      } else if (name.startsWith(RailyardMetrics.SERVING_ROWS)) {
        servingRows.merge(name.substring(RailyardMetrics.SERVING_ROWS.length()), value, Long::sum);
      } else {
        counters.merge(name, value, Long::sum);
      }
    }
    return new RunSummary(
        job.spec(),
        job.mode().name().toLowerCase(java.util.Locale.ROOT),
        runner,
        millis,
        counters,
        deadLetters,
        servingRows,
        distributions,
        lateDropped);
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  private static DistributionResult combine(DistributionResult a, DistributionResult b) {
    return DistributionResult.create(
        a.getSum() + b.getSum(),
        a.getCount() + b.getCount(),
        Math.min(a.getMin(), b.getMin()),
        Math.max(a.getMax(), b.getMax()));
  }

  /** A distribution's count, sum, min and max; an empty one if no stage reported it. */
  public DistributionResult distribution(String name) {
    return distributions.getOrDefault(name, DistributionResult.IDENTITY_ELEMENT);
  }

  public long deadLetterTotal() {
    return deadLetters.values().stream().mapToLong(Long::longValue).sum();
  }

  public void print(PrintStream out) {
    out.printf("%nRailyard · %s · %s mode · %s · %.1f s%n", spec.name(), mode, runner, millis / 1000.0);
    out.printf("  events in        %,12d%n", counter(RailyardMetrics.RECEIVED));
    out.printf("  valid            %,12d%n", counter(RailyardMetrics.VALID));
    out.printf("  duplicates       %,12d  (dropped within the %s horizon)%n",
        counter(RailyardMetrics.DUPLICATES), Durations.format(spec.dedupe().horizon()));
    out.printf("  warehouse rows   %,12d%n", counter(RailyardMetrics.UNIQUE));
    out.printf("  late, dropped    %,12d  (beyond the allowed lateness)%n", lateDropped);
    out.printf("  dead letters     %,12d%n", deadLetterTotal());
    deadLetters.forEach((reason, n) -> out.printf("    %-28s %,8d%n", reason, n));
    out.printf("  serving rows written, by view%n");
    spec.views().forEach(
        v -> out.printf("    %-28s %,8d%n", v.name(), servingRows.getOrDefault(v.name(), 0L)));
    out.printf("Results%n");
    out.printf("  raw lake         %s/raw/%s/dt=…/hr=…/%n", spec.outputs().lake(), spec.name());
    out.printf("  dead letters     %s/deadletter/%s/dt=…/hr=…/%n", spec.outputs().lake(), spec.name());
    out.printf("  warehouse        %s/%s/dt=…/ (Parquet)%n", spec.outputs().warehouse(), spec.schema().table());
    out.printf("  serving store    %s (SQLite; table serving, view serving_merged)%n", spec.outputs().serving());
  }
}
