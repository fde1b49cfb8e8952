package railyard.pipelines;

import java.io.PrintStream;
import java.io.UncheckedIOException;
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

/**
 * The one entry point: {@code --spec=… --mode=batch|streaming}, any runner; or a warehouse command
 * ({@code catalog}, {@code sql}, {@code export}) as the first word.
 */
public final class Railyard {
  private Railyard() {}

  public static void main(String[] args) {
    System.exit(dispatch(args, System.out, System.err));
  }

  /** {@code catalog …}, {@code sql …} and {@code export …} are warehouse commands; else a job. */
  static int dispatch(String[] args, PrintStream out, PrintStream err) {
    String[] rest = args.length == 0 ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
    return switch (args.length == 0 ? "" : args[0]) {
      case "catalog" -> CatalogCommand.run(rest, out, err);
      case "sql" -> SqlCommand.run(rest, System.in, out, err);
      case "export" -> ExportCommand.run(rest, out, err);
      default -> launch(args, out, err);
    };
  }

  /**
   * Runs the job for {@code args} and prints its summary; returns the process's exit code: 0 when
   * the job ran, 2 when the options or the spec are wrong (with a message naming what to fix), the
   * warehouse's BigQuery table cannot be read, or a sink cannot be written ({@link SinkCheck}).
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
      err.println("railyard: bad spec: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("railyard: " + e.getMessage());
      return 2;
    }
    Runners.freshStartNotice(options, args, Mode.of(options.getMode()) == Mode.STREAMING)
        .ifPresent(err::println);
    run(spec, options, args).print(out);
    return 0;
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

  /** Builds the job for {@code spec}, runs it to the end and returns what it did. */
  public static RunSummary run(PipelineSpec spec, RailyardOptions options, String[] args) {
    boolean streaming = Mode.of(options.getMode()) == Mode.STREAMING;
    Runners.configure(options, args, streaming);
    JobMetricsEndpoint.prepare(options);
    Pipeline pipeline = Pipeline.create(options);
    RailyardJob job = RailyardJob.of(spec, options);
    WarehouseCatalog.register(spec, options);
    job.expandInto(pipeline);
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    try (JobMetricsEndpoint metrics = JobMetricsEndpoint.serve(result, options)) {
      Runners.awaitEnd(result, options);
      return RunSummary.of(
          result, job, options.getRunner().getSimpleName(), (System.nanoTime() - started) / 1_000_000);
    }
  }
}
