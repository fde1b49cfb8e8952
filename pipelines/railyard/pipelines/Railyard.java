package railyard.pipelines;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import railyard.pipelines.RailyardOptions.Mode;
import railyard.runners.Runners;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecException;
import railyard.spec.SpecLoader;
import railyard.spec.SpecOverrides;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point: {@code --spec=… --mode=batch|streaming}, any runner; or a command ({@code
 * catalog}, {@code sql}, {@code export}, {@code serving-view}) as the first word.
 */
public final class Railyard {
  private static final Logger LOG = LoggerFactory.getLogger(Railyard.class);

  private Railyard() {}

  public static void main(String[] args) {
    System.exit(dispatch(args, System.out, System.err));
  }

  /** {@code catalog …}, {@code sql …}, {@code export …} and {@code serving-view …}; else a job. */
  static int dispatch(String[] args, PrintStream out, PrintStream err) {
    String[] rest = args.length == 0 ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
    return switch (args.length == 0 ? "" : args[0]) {
      case "catalog" -> CatalogCommand.run(rest, out, err);
      case "sql" -> SqlCommand.run(rest, System.in, out, err);
      case "export" -> ExportCommand.run(rest, out, err);
      case "serving-view" -> ServingViewCommand.run(rest, out, err);
      default -> launch(args, out, err);
    };
  }

  /**
   * Runs the job for {@code args} and prints its summary; returns the process's exit code: 0 when
   * the job ran; 2, with one line naming what to fix, when it cannot start (wrong options or spec,
   * an unreadable BigQuery table, an output it cannot write); 1, with one line giving the cause,
   * when the job started and failed.
   */
  public static int launch(String[] args, PrintStream out, PrintStream err) {
    PipelineOptionsFactory.register(RailyardOptions.class);
    RailyardOptions options;
    PipelineSpec spec;
    try {
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(RailyardOptions.class);
      spec = loadSpec(options);
      RailyardJob job = RailyardJob.of(spec, options);
      WarehouseCatalog.check(spec, options);
      JobMetricsEndpoint.check(options);
      SinkCheck.check(spec, job.source(), options);
    } catch (SpecException e) {
      err.println("railyard: bad spec: " + LaunchException.oneLine(e));
      return 2;
    } catch (RuntimeException e) {
      LOG.debug("the launch failed", e);
      err.println("railyard: " + LaunchException.oneLine(e));
      return 2;
    }
    Runners.freshStartNotice(options, args, Mode.of(options.getMode()) == Mode.STREAMING)
        .ifPresent(err::println);
    RunSummary summary;
    try {
      summary = run(spec, options, args);
    } catch (LaunchException e) {
      LOG.debug("the launch failed", e);
      err.println("railyard: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      LOG.debug("the job failed", e);
      err.println("railyard: the job failed: " + LaunchException.oneLine(rootCause(e)));
      return 1;
    }
    summary.print(out);
    return 0;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Loads the spec named by the options, with the options' overrides applied. */
  public static PipelineSpec loadSpec(RailyardOptions options) {
    return SpecLoader.load(Path.of(options.getSpec()))
        .withOverrides(
            SpecOverrides.none()
                .withLake(options.getLake())
                .withWarehouse(options.getWarehouse())
                .withServing(options.getServing())
                .withEvents(options.getEvents())
                .withRate(options.getRate())
                .withSeed(options.getSeed()));
  }

  /**
   * Builds the job for {@code spec}, runs it to the end and returns what it did. Whatever stops
   * the job from starting is a {@link LaunchException}.
   */
  public static RunSummary run(PipelineSpec spec, RailyardOptions options, String[] args) {
    Pipeline pipeline;
    RailyardJob job;
    try {
      boolean streaming = Mode.of(options.getMode()) == Mode.STREAMING;
      Runners.configure(options, args, streaming);
      JobMetricsEndpoint.prepare(options);
      pipeline = Pipeline.create(options);
      job = RailyardJob.of(spec, options);
      WarehouseCatalog.register(spec, options);
      job.expandInto(pipeline);
    } catch (LaunchException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LaunchException(e);
    }
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    try (JobMetricsEndpoint metrics = JobMetricsEndpoint.serve(result, options)) {
      Runners.awaitEnd(result, options);
      return RunSummary.of(
          result, job, options.getRunner().getSimpleName(), (System.nanoTime() - started) / 1_000_000);
    }
  }
}
