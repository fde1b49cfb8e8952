package railyard.io.files;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.UUID;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Writes elements to write-once files under {@code <directory>/<partition>/}, where the partition
 * (such as {@code dt=2026-01-01/hr=03}) is a function of the element: the one way the lake, the
 * warehouse and the dead letters put files down.
 *
 * <p>Unbounded input is cut into files by processing time: in the global window, a pane of files
 * is written the cadence's window after the first element that is not in a file yet. Nothing is
 * ever late in the global window, so however far behind the watermark an element's time is, it is
 * written; its partition comes from the element itself, not from a window. These writes are the
 * system of record (lake, warehouse, dead letters): lateness limits views only. Bounded input is
 * written in one go, so a batch run makes one set of files per partition.
 *
 * <p>Unbounded input on a runner that checkpoints its input (Flink with checkpoints, Dataflow, the
 * direct runner) is written under {@code <directory>/.pending/} first and moved into place only
 * after the checkpoint that recorded the finished files completes ({@link PublishAfterCheckpoint}):
 * a streaming job stopped at any moment and resumed from its newest checkpoint publishes each
 * window's files once. On Spark, files are written in place.
 *
 * <p>The result is the files written, (partition, path) pairs, e.g. for the catalog.
 *
 * @param <T> the element type
 * @param <OutT> what the file format writes, e.g. an Avro {@code GenericRecord} or a line
 */
@AutoValue
public abstract class PartitionedFileWrite<T, OutT>
    extends PTransform<PCollection<T>, PCollection<KV<String, String>>> {

  public abstract @Nullable String getDirectory();

  public abstract SerializableFunction<T, String> getPartitionFn();

  public abstract SerializableFunction<T, OutT> getFormatFn();

  public abstract FileIO.Sink<OutT> getSink();

  public abstract String getSuffix();

  public abstract FileCadence getCadence();

  abstract Builder<T, OutT> toBuilder();

  /**
   * Writes each element, formatted by {@code formatFn}, with {@code sink} into files ending in
   * {@code suffix} under the partition {@code partitionFn} names (a relative path such as {@code
   * dt=2026-01-01/hr=03}).
   */
  public static <T, OutT> PartitionedFileWrite<T, OutT> of(
      SerializableFunction<T, String> partitionFn,
      SerializableFunction<T, OutT> formatFn,
      FileIO.Sink<OutT> sink,
      String suffix) {
    return new AutoValue_PartitionedFileWrite.Builder<T, OutT>()
        .setPartitionFn(partitionFn)
        .setFormatFn(formatFn)
        .setSink(sink)
        .setSuffix(suffix)
        .setCadence(FileCadence.defaults())
        .build();
  }

  /** The directory the partitions go under, e.g. {@code gs://bucket/lake/raw/orders}. */
  public PartitionedFileWrite<T, OutT> to(String directory) {
    return toBuilder().setDirectory(directory).build();
  }

  /** Shards and how often files are cut; {@link FileCadence#defaults()} unless given. */
  public PartitionedFileWrite<T, OutT> withCadence(FileCadence cadence) {
    return toBuilder().setCadence(cadence).build();
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<T> input) {
    checkArgument(getDirectory() != null && !getDirectory().isEmpty(), "call to(directory)");
    boolean bounded = input.isBounded() == PCollection.IsBounded.BOUNDED;
    FileCadence cadence = getCadence();
    checkArgument(
        cadence.numShards() > 0 || (bounded && cadence.numShards() == 0),
        "withNumShards(n) needs n >= 1 (0, runner-chosen sharding, only for bounded input), was %s",
        cadence.numShards());
    checkArgument(
        cadence.window().getMillis() >= 1000 && cadence.window().getMillis() % 1000 == 0,
        "withWindow(d) needs a whole number of seconds, at least one, was %s",
        cadence.window());

    String directory = getDirectory();
    String suffix = getSuffix();
    // Fresh for each application, so a second run, or a second write to the same place in one
    // pipeline, never names a file the same as the first.
    String runId = UUID.randomUUID().toString();

    boolean publishAfterCheckpoint =
        !bounded && PublishAfterCheckpoint.supportedBy(input.getPipeline().getOptions());
    String writtenTo =
        publishAfterCheckpoint ? PublishAfterCheckpoint.pendingDirectory(directory) : directory;

    PCollection<KV<String, String>> files =
        input
            .apply("Window", bounded ? allAtOnce() : everyInterval(cadence.window()))
            .apply(
                "WriteFiles",
                FileIO.<String, T>writeDynamic()
                    .by(getPartitionFn())
                    .withDestinationCoder(StringUtf8Coder.of())
                    .via(Contextful.fn(getFormatFn()), getSink())
                    .withTempDirectory(directory)
                    .withNaming(
                        partition -> new UniqueFileNaming(writtenTo, partition, runId, suffix))
                    .withNumShards(cadence.numShards()))
            .getPerDestinationOutputFilenames();
    return publishAfterCheckpoint
        ? files.apply("PublishAfterCheckpoint", PublishAfterCheckpoint.into(directory))
        : files;
  }

  /** Bounded input: one pane, whatever windowing it came with. */
  private Window<T> allAtOnce() {
    return Window.<T>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  /**
   * Unbounded input: a pane of files {@code interval} of processing time after its first element,
   * again and again, in the global window, where no element is late; what is left when the input
   * ends is written then.
   */
  private Window<T> everyInterval(Duration interval) {
    return Window.<T>into(new GlobalWindows())
        .triggering(
            Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(interval)))
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  @AutoValue.Builder
  abstract static class Builder<T, OutT> {
    abstract Builder<T, OutT> setDirectory(String directory);

    abstract Builder<T, OutT> setPartitionFn(SerializableFunction<T, String> partitionFn);

    abstract Builder<T, OutT> setFormatFn(SerializableFunction<T, OutT> formatFn);

    abstract Builder<T, OutT> setSink(FileIO.Sink<OutT> sink);

    abstract Builder<T, OutT> setSuffix(String suffix);

    abstract Builder<T, OutT> setCadence(FileCadence cadence);

    abstract PartitionedFileWrite<T, OutT> build();
  }
}
