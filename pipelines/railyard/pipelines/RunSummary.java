package railyard.pipelines;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
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
    long lateDropped) {

  /** Beam's own counter of events later than a window's allowed lateness, in every runner. */
  static final String DROPPED_DUE_TO_LATENESS = "droppedDueToLateness";

  static final String LATE_DATA_NAMESPACE = "org.apache.beam.runners.core.LateDataDroppingDoFnRunner";

  static RunSummary of(PipelineResult result, RailyardJob job, long millis) {
    Map<String, Long> counters = new TreeMap<>();
    Map<String, Long> deadLetters = new TreeMap<>();
    Map<String, Long> servingRows = new TreeMap<>();
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(RailyardMetrics.NAMESPACE))
                    .addNameFilter(MetricNameFilter.inNamespace(RailyardMetrics.DEAD_LETTER_NAMESPACE))
                    .build());
    for (MetricResult<Long> counter : metrics.getCounters()) {
      String namespace = counter.getName().getNamespace();
      String name = counter.getName().getName();
      long value = valueOf(counter);
      if (namespace.equals(RailyardMetrics.DEAD_LETTER_NAMESPACE)) {
        deadLetters.merge(name, value, Long::sum);
      } else if (name.startsWith("serving_rows/")) {
        servingRows.merge(name.substring("serving_rows/".length()), value, Long::sum);
      } else {
        counters.merge(name, value, Long::sum);
      }
    }
    long lateDropped = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(LATE_DATA_NAMESPACE, DROPPED_DUE_TO_LATENESS))
                    .build())
            .getCounters()) {
      lateDropped += valueOf(counter);
    }
    return new RunSummary(
        job.spec(),
        job.mode().name().toLowerCase(java.util.Locale.ROOT),
        result.getClass().getSimpleName().replace("PipelineResult", "").replace("Result", ""),
        millis,
        counters,
        deadLetters,
        servingRows,
        lateDropped);
  }

  /** Committed values where the runner has them (exact), else attempted ones. */
  private static long valueOf(MetricResult<Long> counter) {
    try {
      return counter.getCommitted();
    } catch (UnsupportedOperationException e) {
      return counter.getAttempted();
    }
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  public long deadLetterTotal() {
    return deadLetters.values().stream().mapToLong(Long::longValue).sum();
  }

  public void print(PrintStream out) {
    out.printf("%nRailyard · %s · %s mode · %s · %.1f s%n", spec.name(), mode, runner, millis / 1000.0);
    out.printf("  events in        %,12d%n", counter(RailyardMetrics.RECEIVED));
    out.printf("  valid            %,12d%n", counter(RailyardMetrics.VALID));
    out.printf("  duplicates       %,12d  (dropped within the %s horizon)%n",
        counter(RailyardMetrics.DUPLICATES), spec.dedupe().horizon());
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
