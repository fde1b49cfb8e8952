package railyard.runners;

import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Flink defaults: an in-process cluster using every core; object reuse, and in batch no defensive
 * copies between chained operators (Railyard's transforms never mutate their inputs). In streaming:
 * exactly-once checkpoints every 10 seconds and sources that shut down once drained, so a bounded
 * streaming run ends by itself. In process, checkpoints go to files under the temporary folder and
 * a run fails on its first task failure instead of restarting. Bundles finish before each
 * checkpoint, and input held back until a checkpoint ({@code @RequiresStableInput}) is processed
 * when the sources end. Checkpoints written to a folder of one's own ({@code --stateBackendStoragePath}) are
 * kept when the job is cancelled, and {@code --resumeFrom} restores the newest (see {@link
 * FlinkResume}).
 */
final class FlinkTuning {
  static final long CHECKPOINT_INTERVAL_MS = 10_000;
  static final String LOCAL = "[local]";

  private FlinkTuning() {}

  static void apply(PipelineOptions options, Runners.GivenOptions given, boolean streaming) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!given.has("flinkMaster")) {
      flink.setFlinkMaster(LOCAL);
    }
    if (!given.has("parallelism")) {
      flink.setParallelism(Runners.cores());
    }
    if (!given.has("objectReuse")) {
      flink.setObjectReuse(true);
    }
    if (!given.has("fasterCopy")) {
      // Skipping copies also skips the copy Flink's heap state takes of a value for an asynchronous
      // checkpoint, which then encodes an accumulator the task is changing: streaming checkpoints
      // failed with ConcurrentModificationException. Batch has no checkpoints.
      flink.setFasterCopy(!streaming);
    }
    boolean inProcess = LOCAL.equals(flink.getFlinkMaster());
    if (inProcess && !given.has("numberOfExecutionRetries")) {
      // Flink's default with checkpoints is to restart without end. In one process a failure is a
      // bug, and a restarted run replays from its last checkpoint while Beam's counters keep what
      // the failed attempt counted: the run summary would be wrong with no error shown.
      flink.setNumberOfExecutionRetries(0);
    }
    if (streaming) {
      if (!given.has("checkpointingInterval")) {
        flink.setCheckpointingInterval(CHECKPOINT_INTERVAL_MS);
      }
      if (!given.has("finishBundleBeforeCheckpointing")) {
        // Sinks that finish their files with the bundle (the Kafka raw lake) are then final before
        // the checkpoint completes, and so before a source commits what the checkpoint read.
        flink.setFinishBundleBeforeCheckpointing(true);
      }
      if (!given.has("enableStableInputDrain")) {
        // Streaming file writes publish their files only after a checkpoint (@RequiresStableInput);
        // a run whose sources end publishes the last ones as it finishes instead of failing on them.
        flink.setEnableStableInputDrain(true);
      }
      if (!given.has("shutdownSourcesAfterIdleMs")) {
        flink.setShutdownSourcesAfterIdleMs(0L);
      }
      if (inProcess && !given.has("stateBackend")) {
        // Flink's default keeps checkpoints in the JobManager's memory, which refuses a task's
        // state above 5 MiB: deduplication alone passes that near 100,000 ids. (A cluster's own
        // configuration decides there.) Beam ignores a storage path given without a backend.
        flink.setStateBackend("filesystem");
        if (!given.has("stateBackendStoragePath")) {
          flink.setStateBackendStoragePath(defaultCheckpointDirectory().toUri().toString());
        }
      }
      if (given.has("stateBackendStoragePath")) {
        // A checkpoint folder of one's own is where a stopped job is resumed from (--resumeFrom):
        // keep the last checkpoint when the job is cancelled.
        if (!given.has("externalizedCheckpointsEnabled")) {
          flink.setExternalizedCheckpointsEnabled(true);
        }
        if (!given.has("retainExternalizedCheckpointsOnCancellation")) {
          flink.setRetainExternalizedCheckpointsOnCancellation(true);
        }
      }
    }
    String resumeFrom = options.as(ResumeOptions.class).getResumeFrom();
    if (resumeFrom != null && !resumeFrom.isEmpty()) {
      FlinkResume.apply(flink, resumeFrom, streaming, inProcess);
    }
  }

  /** Where in-process streaming runs write checkpoints; Flink keeps one folder per job under it. */
  static Path defaultCheckpointDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "railyard-flink-checkpoints");
  }
}
