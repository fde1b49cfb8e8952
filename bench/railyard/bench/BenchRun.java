package railyard.bench;

import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import railyard.pipelines.Railyard;
import railyard.pipelines.RailyardOptions.Mode;
import railyard.runners.Runners;
import railyard.spec.PipelineSpec;
import railyard.transforms.RailyardMetrics;

/**
 * One measured run of the bench pipeline in this JVM, on any runner, in either mode. Prints one
 * {@code BENCH-RESULT} line; the harness starts a fresh JVM per run so runs never share a heap or
 * a JIT.
 */
public final class BenchRun {
  private BenchRun() {}

  public static void main(String[] args) throws InterruptedException {
    Measurement measurement = Measurement.begin();
    PipelineOptionsFactory.register(BenchOptions.class);
    BenchOptions options = PipelineOptionsFactory.fromArgs(args).as(BenchOptions.class);
    PipelineSpec spec = Railyard.loadSpec(options);
    boolean streaming = Mode.of(options.getMode()) == Mode.STREAMING;
    Runners.configure(options, args, streaming);
    Pipeline pipeline = Pipeline.create(options);
    BenchPipeline.expandInto(pipeline, spec, options.getInput(), streaming);

    long jvmMillisBeforeRun = Measurement.sinceJvmStartMillis();
    String checkpoints =
        streaming ? options.as(FlinkPipelineOptions.class).getStateBackendStoragePath() : null;
    // Given a checkpoint folder (--stateBackendStoragePath), the largest checkpoint is reported.
    CheckpointSizes sizes = checkpoints == null ? null : CheckpointSizes.watch(localPath(checkpoints));
    measurement.startTimer();
    PipelineResult result = pipeline.run();
    Runners.awaitEnd(result, options);
    measurement.stopTimer();
    if (sizes != null) {
      sizes.close();
      measurement.put("largestCheckpointBytes", sizes.largestBytes()).put("checkpoints", sizes.seen());
    }

    long events =
        options.getInput().equals("generator-only")
            ? counter(result, BenchPipeline.NAMESPACE, BenchPipeline.SOURCE_EVENTS)
            : counter(result, RailyardMetrics.NAMESPACE, RailyardMetrics.RECEIVED);
    measurement
        .put("case", options.getCase())
        .put("runner", options.getRunner().getSimpleName())
        .put("mode", streaming ? "streaming" : "batch")
        .put("input", options.getInput())
        .put("servingRows", counter(result, BenchPipeline.NAMESPACE, BenchPipeline.SERVING_ROWS))
        .put("duplicates", counter(result, RailyardMetrics.NAMESPACE, RailyardMetrics.DUPLICATES))
        .put("unique", counter(result, RailyardMetrics.NAMESPACE, RailyardMetrics.UNIQUE))
        .put("jvmMillisBeforeRun", jvmMillisBeforeRun);
    System.out.println(measurement.resultLine(events));
    System.exit(0);
  }

  private static Path localPath(String location) {
    return location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
  }

  static long counter(PipelineResult result, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
