package railyard.io.deadletter;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import railyard.io.files.Checks;
import railyard.io.files.FileCadence;
import railyard.io.files.PartitionedFileWrite;
import railyard.io.files.Partitions;
import railyard.model.DeadLetter;
import railyard.transforms.CountElements;
import railyard.transforms.RailyardMetrics;

/**
 * Writes dead letters as newline-delimited JSON ({@link DeadLetterJson}) to write-once files at
 * {@code <root>/deadletter/<pipeline>/dt=YYYY-MM-DD/hr=HH/<unique>.json}, partitioned by the
 * original {@code receivedAt} in UTC. Windowing as in {@link PartitionedFileWrite}.
 */
@AutoValue
public abstract class DeadLetterWrite
    extends PTransform<PCollection<DeadLetter>, PCollection<KV<String, String>>> {

  public abstract @Nullable String getRoot();

  public abstract @Nullable String getPipelineName();

  public abstract FileCadence getCadence();

  abstract Builder toBuilder();

  public static DeadLetterWrite create() {
    return new AutoValue_DeadLetterWrite.Builder()
        .setCadence(FileCadence.defaults())
        .build();
  }

  /** The lake root; dead letters go under its {@code deadletter/} directory. */
  public DeadLetterWrite withRoot(String root) {
    return toBuilder().setRoot(root).build();
  }

  public DeadLetterWrite withPipelineName(String pipelineName) {
    return toBuilder().setPipelineName(pipelineName).build();
  }

  /** Files per hour partition per pane of files; default 1. */
  public DeadLetterWrite withNumShards(int numShards) {
    return toBuilder().setCadence(getCadence().withNumShards(numShards)).build();
  }

  /** How often (in processing time) unbounded input is cut into files; default 1 minute. */
  public DeadLetterWrite withWindow(Duration window) {
    return toBuilder().setCadence(getCadence().withWindow(window)).build();
  }


  @Override
  public PCollection<KV<String, String>> expand(PCollection<DeadLetter> input) {
    checkArgument(
        getRoot() != null && !getRoot().isEmpty(), "DeadLetterWrite needs withRoot(lakeRoot)");
    checkArgument(
        Checks.isPathSegment(getPipelineName()),
        "DeadLetterWrite needs withPipelineName(name), a single path segment; was %s",
        getPipelineName());
    return input
        .apply(CountElements.as(RailyardMetrics.DEAD_LETTERS_WRITTEN))
        .apply(
            "WriteJsonLines",
            PartitionedFileWrite.<DeadLetter, String>of(
                    letter -> Partitions.hourly(letter.receivedAt()),
                    DeadLetterJson::toLine,
                    TextIO.sink(),
                    ".json")
                .to(Partitions.join(getRoot(), "deadletter", getPipelineName()))
                .withCadence(getCadence()));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRoot(String root);

    abstract Builder setPipelineName(String pipelineName);

    abstract Builder setCadence(FileCadence cadence);

    abstract DeadLetterWrite build();
  }
}
