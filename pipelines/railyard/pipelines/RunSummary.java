package railyard.pipelines;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import railyard.io.bigquery.BigQueryLocation;
import railyard.io.warehouse.LeaveOutRowsWrittenBefore;
import railyard.io.bigquery.BigQueryServingWrite;
import railyard.io.serving.ServingStore;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;
import railyard.spec.Durations;
import railyard.spec.PipelineSpec;
import railyard.transforms.RailyardMetrics;

/**
 * What a run did, read from its Beam metrics, and where its results are.
 *
 * @param lateDropped Beam's {@code droppedDueToLateness} by the step that dropped: a spec view's
 *     name, or the top-level step of any other (a file write, the health view)
 */
public record RunSummary(
    PipelineSpec spec,
    String mode,
    String runner,
    long millis,
    Map<String, Long> counters,
    Map<String, Long> deadLetters,
    Map<String, Long> servingRows,
    Map<String, DistributionResult> distributions,
    Map<String, Long> lateDropped) {

  /**
   * Beam's own counter of elements later than a window's allowed lateness; runners spell it
   * {@code droppedDueToLateness} or {@code DroppedDueToLateness}, in namespaces of their own.
   */
  static final String DROPPED_DUE_TO_LATENESS = "droppedDueToLateness";

  /** A view's steps, named by {@code ComputeViews}: {@code …/Aggregate <view>/…}, {@code …/Sql <view>/…}. */
  private static final Pattern VIEW_STEP = Pattern.compile("(?:^|/)(?:Aggregate|Sql) ([^/]+)/");

  static RunSummary of(PipelineResult result, RailyardJob job, String runner, long millis) {
    Map<String, Long> counters = new TreeMap<>();
    Map<String, Long> deadLetters = new TreeMap<>();
    Map<String, Long> servingRows = new TreeMap<>();
    Map<String, DistributionResult> distributions = new TreeMap<>();
    Map<String, Long> lateDropped = new TreeMap<>();
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
        lateDropped.merge(droppedBy(counter.getKey().stepName(), namespace, job.spec()), value, Long::sum);
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

  /**
   * The spec view that dropped: the one a view's own counter namespace names, else the one whose
   * step {@code stepName} is, or else the step's top-level name.
   */
  static String droppedBy(String stepName, String namespace, PipelineSpec spec) {
    if (namespace.startsWith(RailyardMetrics.LATE_DROPPED_NAMESPACE)) {
      String name = namespace.substring(RailyardMetrics.LATE_DROPPED_NAMESPACE.length());
      if (spec.views().stream().anyMatch(v -> v.name().equals(name))) {
        return name;
      }
    }
    Matcher view = VIEW_STEP.matcher(stepName);
    while (view.find()) {
      String name = view.group(1);
      if (spec.views().stream().anyMatch(v -> v.name().equals(name))) {
        return name;
      }
    }
    return stepName.split("/", 2)[0];
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  /** What {@code view} dropped beyond its allowed lateness (events; event-windows if sliding). */
  public long lateDropped(String view) {
    return lateDropped.getOrDefault(view, 0L);
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
    boolean bigQueryWarehouse = BigQueryLocation.isBigQuery(spec.outputs().warehouse());
    out.printf("%nRailyard · %s · %s mode · %s · %.1f s%n", spec.name(), mode, runner, millis / 1000.0);
    out.printf("  events in        %,12d%n", counter(RailyardMetrics.RECEIVED));
    out.printf("  valid            %,12d%n", counter(RailyardMetrics.VALID));
    out.printf("  duplicates       %,12d  (dropped within the %s horizon)%n",
        counter(RailyardMetrics.DUPLICATES), Durations.format(spec.dedupe().horizon()));
    if (bigQueryWarehouse) {
      out.printf("  warehouse rows   %12s  (BigQuery reports no count; rows it refused are dead letters)%n", "n/a");
    } else {
      out.printf("  warehouse rows   %,12d  (in the Parquet files published)%n",
          counter(RailyardMetrics.WAREHOUSE_ROWS_WRITTEN));
      long heldAlready = counter(LeaveOutRowsWrittenBefore.WRITTEN_BEFORE);
      if (heldAlready > 0) {
        out.printf("    held already   %,12d  (their event ids were in the warehouse; not written again)%n",
            heldAlready);
      }
    }
    out.printf("  late, dropped by view (beyond its allowed lateness)%n");
    spec.views().forEach(v -> out.printf("    %-28s %,8d%s%n", v.name(), lateDropped(v.name()),
        v.window().kind() == WindowSpec.Kind.SLIDING ? "  event-windows" : "  events"));
    lateDropped.forEach((step, n) -> {
      if (n > 0 && spec.views().stream().map(ViewSpec::name).noneMatch(step::equals)) {
        out.printf("    %-28s %,8d  elements (step %s)%n", "not a view", n, step);
      }
    });
    out.printf("  dead letters     %,12d%n", deadLetterTotal());
    deadLetters.forEach((reason, n) -> out.printf("    %-28s %,8d%n", reason, n));
    out.printf("  serving rows written, by view%n");
    spec.views().forEach(
        v -> out.printf("    %-28s %,8d%n", v.name(), servingRows.getOrDefault(v.name(), 0L)));
    out.printf("Results%n");
    out.printf("  raw lake         %s/raw/%s/dt=…/hr=…/%n", spec.outputs().lake(), spec.name());
    out.printf("  dead letters     %s/deadletter/%s/dt=…/hr=…/%n", spec.outputs().lake(), spec.name());
    out.printf("  warehouse        %s%n", warehouse());
    out.printf("  serving store    %s%n", servingStore());
  }

  private String warehouse() {
    String warehouse = spec.outputs().warehouse();
    return BigQueryLocation.isBigQuery(warehouse)
        ? BigQueryLocation.parse(warehouse).tableSpec(spec.schema().table()) + " (BigQuery)"
        : warehouse + "/" + spec.schema().table() + "/dt=…/ (Parquet)";
  }

  private String servingStore() {
    String serving = spec.outputs().serving();
    return BigQueryLocation.isBigQuery(serving)
        ? BigQueryLocation.parse(serving).tableSpec(BigQueryServingWrite.TABLE) + " (BigQuery)"
        : serving + " (" + ServingStore.kindOf(serving) + "; table serving, view serving_merged)";
  }
}
