package railyard.io.files;

import static railyard.io.files.Checks.checkArgument;

import java.io.IOException;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import railyard.transforms.RailyardMetrics;

/**
 * Moves the files a streaming write finished under {@code <directory>/.pending/<partition>/} to
 * {@code <directory>/<partition>/}, once the runner holds the list of them durably: the move is a
 * {@link DoFn.RequiresStableInput} step, which Flink runs only after the checkpoint that recorded
 * its input has completed (and Dataflow after its own commit).
 *
 * <p>So a file is published only by a run whose state already accounts for its rows. A run
 * stopped before that checkpoint leaves the file pending, and the run resumed from the checkpoint
 * before writes the same rows again; a run stopped after it is resumed with the move in its state
 * and makes it again, which finds the file already in place and leaves it there. Input is (partition,
 * pending path); output is (partition, published path), the same pair again for a repeated move.
 */
final class PublishAfterCheckpoint
    extends PTransform<PCollection<KV<String, String>>, PCollection<KV<String, String>>> {
  static final String PENDING = ".pending";
  private static final KvCoder<String, String> PAIR =
      KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());

  private final String directory;

  private PublishAfterCheckpoint(String directory) {
    this.directory = directory;
  }

  /** Publishes files pending under {@link #pendingDirectory(String) pendingDirectory(directory)}. */
  static PublishAfterCheckpoint into(String directory) {
    return new PublishAfterCheckpoint(directory);
  }

  /** Where a write under {@code directory} puts files until they are published; hidden. */
  static String pendingDirectory(String directory) {
    return Partitions.join(directory, PENDING);
  }

  /**
   * Whether the runner can hold input back until it is checkpointed. Spark's runner refuses {@link
   * DoFn.RequiresStableInput}, and Flink needs checkpoints for it; there files are written in place
   * as before, and a restarted run may write a window again.
   */
  static boolean supportedBy(PipelineOptions options) {
    String runner = options.getRunner().getSimpleName();
    if (runner.contains("Spark")) {
      return false;
    }
    if (runner.contains("Flink")) {
      return options.as(FlinkPipelineOptions.class).getCheckpointingInterval() > 0;
    }
    return true;
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<KV<String, String>> pending) {
    checkArgument(directory != null && !directory.isEmpty(), "PublishAfterCheckpoint needs a directory");
    // Counted a step later: Flink hands a @RequiresStableInput step its input when a checkpoint
    // completes, outside any metrics container, so a counter bumped in the step itself is lost.
    // One chained path on purpose: what a run's sources drain at their end is published after the
    // final checkpoint, and would not cross a join of two streams (a Flatten) any more.
    return pending
        .apply("Publish", ParDo.of(new PublishFn(directory)))
        .setCoder(KvCoder.of(PAIR, BooleanCoder.of()))
        .apply("CountPublished", ParDo.of(new CountPublishedFn()))
        .setCoder(PAIR);
  }

  /** Counts each move as a first publication or a repeat, and passes its published pair on. */
  private static final class CountPublishedFn
      extends DoFn<KV<KV<String, String>, Boolean>, KV<String, String>> {
    private final Counter published = RailyardMetrics.counter(RailyardMetrics.FILES_PUBLISHED);
    private final Counter again = RailyardMetrics.counter(RailyardMetrics.FILES_PUBLISHED_AGAIN);

    @ProcessElement
    public void process(
        @Element KV<KV<String, String>, Boolean> move, OutputReceiver<KV<String, String>> out) {
      (move.getValue() ? again : published).inc();
      out.output(move.getKey());
    }
  }

  /** Publishes a pending file: its (partition, published path), and whether it was there already. */
  private static final class PublishFn
      extends DoFn<KV<String, String>, KV<KV<String, String>, Boolean>> {
    private final String directory;

    PublishFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    @RequiresStableInput
    public void process(
        @Element KV<String, String> file, OutputReceiver<KV<KV<String, String>, Boolean>> out)
        throws IOException {
      ResourceId from = FileSystems.matchNewResource(file.getValue(), false);
      ResourceId to = UniqueFileNaming.resolve(directory, file.getKey(), from.getFilename());
      boolean again = !moved(from, to);
      out.output(KV.of(KV.of(file.getKey(), to.toString()), again));
    }

    /**
     * Moves {@code from} to {@code to}, or finds that an earlier or concurrent attempt at the same
     * move already did: a retried bundle can race the one it repeats, and both see the pending file
     * before one of them moves it.
     */
    private static boolean moved(ResourceId from, ResourceId to) throws IOException {
      if (exists(from)) {
        try {
          // No IGNORE_MISSING_FILES: the attempt that loses a race must fail, not count a move.
          FileSystems.rename(List.of(from), List.of(to));
          return true;
        } catch (IOException raced) {
          if (exists(from) || !exists(to)) {
            throw raced;
          }
          return false;
        }
      }
      if (exists(to)) {
        return false;
      }
      throw new IOException(
          "pending file " + from + " is gone and was never published to " + to
              + "; was the .pending folder cleared while the job ran?");
    }

    private static boolean exists(ResourceId file) throws IOException {
      MatchResult match = FileSystems.match(List.of(file.toString())).get(0);
      return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
    }
  }
}
