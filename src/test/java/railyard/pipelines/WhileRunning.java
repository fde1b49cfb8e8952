package railyard.pipelines;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Bounded waits for what a streaming job publishes while it is still running. */
final class WhileRunning {
  static final long WAIT_SECONDS = 240;

  private WhileRunning() {}

  /** Waits until {@code published} holds, failing if the job ends first or it takes too long. */
  static void await(String what, Future<?> job, Callable<Boolean> published) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!published.call()) {
      if (job.isDone()) {
        job.get(); // a failed job throws here
        throw new AssertionError(what + ": the job ended before it was published");
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not published within " + WAIT_SECONDS + " s");
      }
      Thread.sleep(500);
    }
  }
}
