package railyard.bench;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import railyard.io.lake.RawLakeWrite;
import railyard.pipelines.Railyard;
import railyard.pipelines.RailyardJob;
import railyard.runners.Runners;
import railyard.spec.PipelineSpec;

/**
 * Generates a bench spec's events once into its raw lake, so every measured batch run replays the
 * same bytes and none pays for generating them.
 */
public final class GenerateWorkload {
  private GenerateWorkload() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(BenchOptions.class);
    BenchOptions options = PipelineOptionsFactory.fromArgs(args).as(BenchOptions.class);
    PipelineSpec spec = Railyard.loadSpec(options);
    Runners.configure(options, args, false);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(
            "Generate",
            RailyardJob.generateEvents(spec))
        .apply(
            "KeepRaw",
            RawLakeWrite.create().withRoot(spec.outputs().lake()).withPipelineName(spec.name()));
    pipeline.run().waitUntilFinish();
    System.out.println(
        "generated " + spec.source().generator().events() + " events into "
            + Path.of(spec.outputs().lake()).toAbsolutePath());
  }
}
