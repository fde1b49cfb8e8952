package railyard.runners;

import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/** Spark defaults: a local master with one thread per core. */
final class SparkTuning {
  private SparkTuning() {}

  static void apply(PipelineOptions options, Runners.GivenOptions given) {
    SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
    if (!given.has("sparkMaster")) {
      spark.setSparkMaster("local[" + Runners.cores() + "]");
    }
  }
}
