package railyard.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.stateful.SparkTimerInternals;
import org.apache.beam.runners.spark.util.GlobalWatermarkHolder;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Spark defaults: a local master with one thread per core, on loopback. */
final class SparkTuning {
  private SparkTuning() {}

  static void apply(PipelineOptions options, Runners.GivenOptions given) {
    SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
    if (!given.has("sparkMaster")) {
      spark.setSparkMaster("local[" + Runners.cores() + "]");
    }
    if (spark.getSparkMaster().startsWith("local")) {
      keepOnLoopback();
    }
  }

  /**
   * An embedded Spark otherwise binds its driver to the host's first network address; in process
   * nothing needs to leave loopback. Spark reads {@code spark.*} system properties into its
   * configuration, and one set by the operator is kept.
   */
  private static void keepOnLoopback() {
    for (String key : new String[] {"spark.driver.host", "spark.driver.bindAddress"}) {
      if (System.getProperty(key) == null) {
        System.setProperty(key, "127.0.0.1");
      }
    }
  }

  /**
   * Polls a streaming run once per micro-batch until the watermark of all its sources has reached
   * the end of time, lets two more micro-batches carry the last firings through, then stops it.
   */
  static void awaitDrainedStream(PipelineResult result, PipelineOptions options) {
    long batchMillis = options.as(SparkPipelineOptions.class).getBatchIntervalMillis();
    Instant watermark;
    do {
      result.waitUntilFinish(Duration.millis(batchMillis));
      SparkTimerInternals timers =
          SparkTimerInternals.global(GlobalWatermarkHolder.get(batchMillis));
      timers.advanceWatermark();
      watermark = timers.currentInputWatermarkTime();
    } while (watermark.isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE)
        && result.getState() == PipelineResult.State.RUNNING);
    result.waitUntilFinish(Duration.millis(2 * batchMillis));
    try {
      result.cancel();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the drained Spark stream", e);
    }
  }
}
