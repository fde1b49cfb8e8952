package railyard.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The Beam metrics of an in-process Flink job while it runs. Beam's streaming operators hand their
 * metrics to the job's result (Flink accumulators) only when they close, so a running job's {@code
 * PipelineResult.metrics()} is empty; but after every bundle they copy each counter and
 * distribution into Flink's own metric system, as {@code <namespace>.<name>} on the operator's
 * group. This reporter, which the in-process cluster loads from its configuration folder, collects
 * those and sums them over operators and subtasks; a metric of an operator that has finished keeps
 * its last value.
 */
public final class FlinkLiveMetrics implements MetricReporter {
  private static final String REPORTER = "metrics.reporter.railyard_live.";
  private static final String KEY = "key";
  private static final Map<String, Collected> BY_KEY = new ConcurrentHashMap<>();

  private final String key;
  private final Collected collected;

  private FlinkLiveMetrics(String key, Collected collected) {
    this.key = key;
    this.collected = collected;
  }

  /** Loads the reporter: Flink finds it through {@code META-INF/services}. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      String key = properties.getProperty(KEY);
      return new FlinkLiveMetrics(key, BY_KEY.computeIfAbsent(key, k -> new Collected()));
    }
  }

  /** Whether {@code options} run on an in-process Flink cluster, which this reporter can join. */
  public static boolean appliesTo(PipelineOptions options) {
    return options.getRunner() == FlinkRunner.class
        && FlinkTuning.LOCAL.equals(options.as(FlinkPipelineOptions.class).getFlinkMaster());
  }

  /**
   * Points the in-process cluster of {@code flink} at a configuration folder that holds the given
   * folder's settings (if any) and this reporter; {@link #of} then reads what it collects.
   */
  public static void attach(FlinkPipelineOptions flink) {
    try {
      Path dir = Files.createTempDirectory("railyard-flink-metrics");
      StringBuilder conf = new StringBuilder();
      String given = flink.getFlinkConfDir();
      if (given != null && !given.isEmpty() && Files.exists(Path.of(given, "flink-conf.yaml"))) {
        conf.append(Files.readString(Path.of(given, "flink-conf.yaml"))).append('\n');
      }
      conf.append(REPORTER).append("factory.class: ").append(Factory.class.getName()).append('\n');
      conf.append(REPORTER).append(KEY).append(": ").append(dir).append('\n');
      Path file = Files.writeString(dir.resolve("flink-conf.yaml"), conf);
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit();
      flink.setFlinkConfDir(dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Flink configuration for --metricsPort", e);
    }
  }

  /**
   * What the reporter of the cluster {@link #attach} configured has collected so far, of the names
   * {@code filter} names. Its step filters are not applied: each value is summed over every step.
   */
  public static MetricResults of(FlinkPipelineOptions flink) {
    String key = flink.getFlinkConfDir();
    return new MetricResults() {
      @Override
      public MetricQueryResults queryMetrics(MetricsFilter filter) {
        Collected collected = BY_KEY.get(key);
        if (collected == null) {
          return MetricQueryResults.create(List.of(), List.of(), List.of(), List.of());
        }
        MetricQueryResults all = collected.results();
        return MetricQueryResults.create(
            named(all.getCounters(), filter), named(all.getDistributions(), filter), List.of(), List.of());
      }
    };
  }

  private static <T> List<MetricResult<T>> named(Iterable<MetricResult<T>> results, MetricsFilter filter) {
    List<MetricResult<T>> kept = new ArrayList<>();
    for (MetricResult<T> result : results) {
      MetricName name = result.getName();
      boolean wanted =
          filter.names().isEmpty()
              || filter.names().stream()
                  .anyMatch(
                      wantedName ->
                          wantedName.getNamespace().equals(name.getNamespace())
                              && (wantedName.getName() == null
                                  || wantedName.getName().equals(name.getName())));
      if (wanted) {
        kept.add(result);
      }
    }
    return kept;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {
    BY_KEY.remove(key);
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    // Beam's names hold the namespace and a dot; Flink's own (numRecordsIn, …) hold none.
    if ((metric instanceof Counter || metric instanceof Gauge<?>) && name.indexOf('.') > 0) {
      collected.live.put(metric, name);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    collected.finish(metric);
  }

  /** The metrics of one cluster: those of running operators, and the last values of the rest. */
  private static final class Collected {
    final Map<Metric, String> live = new ConcurrentHashMap<>();
    final Map<String, Long> finishedCounters = new HashMap<>();
    final Map<String, DistributionResult> finishedDistributions = new HashMap<>();

    synchronized void finish(Metric metric) {
      String name = live.remove(metric);
      if (name != null) {
        add(metric, name, finishedCounters, finishedDistributions);
      }
    }

    synchronized MetricQueryResults results() {
      Map<String, Long> counters = new HashMap<>(finishedCounters);
      Map<String, DistributionResult> distributions = new HashMap<>(finishedDistributions);
      live.forEach((metric, name) -> add(metric, name, counters, distributions));
      List<MetricResult<Long>> counterResults = new ArrayList<>();
      counters.forEach((name, value) -> counterResults.add(MetricResult.attempted(key(name), value)));
      List<MetricResult<DistributionResult>> distributionResults = new ArrayList<>();
      distributions.forEach(
          (name, value) -> distributionResults.add(MetricResult.attempted(key(name), value)));
      return MetricQueryResults.create(counterResults, distributionResults, List.of(), List.of());
    }

    private static void add(
        Metric metric,
        String name,
        Map<String, Long> counters,
        Map<String, DistributionResult> distributions) {
      if (metric instanceof Counter counter) {
        counters.merge(name, counter.getCount(), Long::sum);
      } else if (metric instanceof Gauge<?> gauge
          && gauge.getValue() instanceof DistributionResult distribution) {
        distributions.merge(name, distribution, Collected::combine);
      }
    }

    private static DistributionResult combine(DistributionResult a, DistributionResult b) {
      return DistributionResult.create(
          a.getSum() + b.getSum(),
          a.getCount() + b.getCount(),
          Math.min(a.getMin(), b.getMin()),
          Math.max(a.getMax(), b.getMax()));
    }

    /** Beam names the Flink metric {@code <namespace>.<name>}; Railyard's names hold no dot. */
    private static MetricKey key(String flinkName) {
      int dot = flinkName.lastIndexOf('.');
      String namespace = dot < 0 ? "" : flinkName.substring(0, dot);
      return MetricKey.create("flink", MetricName.named(namespace, flinkName.substring(dot + 1)));
    }
  }
}
