package railyard.runners;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Flink defaults: an in-process cluster using every core; object reuse and no defensive copies
 * between chained operators (Railyard's transforms never mutate their inputs); in streaming,
 * exactly-once checkpoints every 10 seconds and sources that shut down once drained, so a bounded
 * streaming run ends by itself.
 */
final class FlinkTuning {
  static final long CHECKPOINT_INTERVAL_MS = 10_000;

  private FlinkTuning() {}

  static void apply(PipelineOptions options, Runners.GivenOptions given, boolean streaming) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!given.has("flinkMaster")) {
      flink.setFlinkMaster("[local]");
    }
    if (!given.has("parallelism")) {
      flink.setParallelism(Runners.cores());
    }
    if (!given.has("objectReuse")) {
      flink.setObjectReuse(true);
    }
    if (!given.has("fasterCopy")) {
      flink.setFasterCopy(true);
    }
    if (streaming) {
      if (!given.has("checkpointingInterval")) {
        flink.setCheckpointingInterval(CHECKPOINT_INTERVAL_MS);
      }
      if (!given.has("shutdownSourcesAfterIdleMs")) {
        flink.setShutdownSourcesAfterIdleMs(0L);
      }
    }
  }
}
