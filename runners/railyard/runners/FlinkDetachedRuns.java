package railyard.runners;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutionException;
import org.apache.beam.runners.flink.FlinkDetachedRunnerResult;
import org.apache.flink.core.execution.JobClient;

/**
 * Waits for a Flink job launched detached ({@code --attachedMode=false}, which {@code
 * --metricsPort} sets so the job's counters can be read while it runs).
 *
 * <p>Why not {@link FlinkDetachedRunnerResult#waitUntilFinish()}: it polls the job's status, and an
 * in-process job's MiniCluster shuts down as soon as the job ends, so a poll that comes after the
 * end fails ("MiniCluster is not yet running or has already been shut down") although the job
 * succeeded. The job client's result future outlives the cluster and fails when the job failed;
 * Beam 2.62 keeps the client in a private field, hence the reflection.
 */
final class FlinkDetachedRuns {
  private FlinkDetachedRuns() {}

  static void awaitEnd(FlinkDetachedRunnerResult result) {
    try {
      jobClient(result).getJobExecutionResult().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Flink job", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the Flink job failed: " + e.getCause(), e.getCause());
    }
  }

  private static JobClient jobClient(FlinkDetachedRunnerResult result) {
    try {
      Field field = FlinkDetachedRunnerResult.class.getDeclaredField("jobClient");
      field.setAccessible(true);
      return (JobClient) field.get(result);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "this Beam version's FlinkDetachedRunnerResult has no jobClient field", e);
    }
  }
}
