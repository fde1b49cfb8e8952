package railyard.runners;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Direct runner defaults: one worker thread per core. Its immutability and encodability checks stay
 * on: the Direct runner is for tests, where those checks catch bugs the fast runners would hide.
 */
final class DirectTuning {
  private DirectTuning() {}

  static void apply(PipelineOptions options, Runners.GivenOptions given) {
    DirectOptions direct = options.as(DirectOptions.class);
    if (!given.has("targetParallelism")) {
      direct.setTargetParallelism(Math.max(2, Runners.cores()));
    }
  }
}
