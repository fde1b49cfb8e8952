package railyard.runners;

import java.util.Arrays;
import java.util.Optional;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkDetachedRunnerResult;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Picks the runner and applies its tuning. Operators switch runner with {@code --runner=} alone;
 * without it Railyard runs on in-process Flink, the fastest embedded runner measured here. Each
 * runner's defaults live in its own class and never override an option given on the command line.
 */
public final class Runners {
  private Runners() {}

  /**
   * Sets the runner (Flink unless {@code args} name one), streaming or batch, and that runner's
   * defaults for every option {@code args} leave out.
   */
  public static void configure(PipelineOptions options, String[] args, boolean streaming) {
    GivenOptions given = new GivenOptions(args);
    if (!given.has("runner")) {
      options.setRunner(FlinkRunner.class);
    }
    options.as(StreamingOptions.class).setStreaming(streaming);
    Class<?> runner = options.getRunner();
    if (runner == FlinkRunner.class) {
      FlinkTuning.apply(options, given, streaming);
    } else if (runner == SparkRunner.class) {
      SparkTuning.apply(options, given);
    } else if (runner == DirectRunner.class) {
      DirectTuning.apply(options, given);
    }
  }

  /**
   * A line to print before a streaming run on Flink that starts afresh while its checkpoint folder
   * ({@code --stateBackendStoragePath} in {@code args}) keeps a retained checkpoint, naming it and
   * {@code --resumeFrom}; empty otherwise.
   */
  public static Optional<String> freshStartNotice(
      PipelineOptions options, String[] args, boolean streaming) {
    GivenOptions given = new GivenOptions(args);
    Class<?> runner = given.has("runner") ? options.getRunner() : FlinkRunner.class;
    if (runner != FlinkRunner.class || !streaming || !given.has("stateBackendStoragePath")) {
      return Optional.empty();
    }
    return FlinkResume.freshStartNotice(
        options.as(FlinkPipelineOptions.class), options.as(ResumeOptions.class).getResumeFrom());
  }

  /**
   * Whether {@code runner} offers timers on a stream, which a stream's views fire their panes by:
   * Beam 2.62's Spark streaming runner does not.
   */
  public static boolean runsStreamingTimers(Class<?> runner) {
    return runner != SparkRunner.class;
  }

  /**
   * Waits for a run to end. A Spark stream does not end by itself when its sources are drained, so
   * it is stopped once its watermark has reached the end of time; other runners end on their own.
   * A Dataflow job is not waited for: it runs on Google's workers, and a Flex Template's launcher
   * must return once the job is submitted.
   */
  public static void awaitEnd(PipelineResult result, PipelineOptions options) {
    if (options.getRunner() == DataflowRunner.class) {
      return;
    }
    if (options.getRunner() == SparkRunner.class
        && options.as(StreamingOptions.class).isStreaming()) {
      SparkTuning.awaitDrainedStream(result, options);
    } else if (result instanceof FlinkDetachedRunnerResult detached) {
      FlinkDetachedRuns.awaitEnd(detached);
    } else {
      result.waitUntilFinish();
    }
  }

  /** Which options the command line set, so defaults never replace an operator's choice. */
  static final class GivenOptions {
    private final String[] args;

    GivenOptions(String[] args) {
      this.args = args.clone();
    }

    boolean has(String name) {
      return Arrays.stream(args)
          .anyMatch(arg -> arg.equals("--" + name) || arg.startsWith("--" + name + "="));
    }
  }

  /** Cores on this machine: the embedded runners' default parallelism. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
