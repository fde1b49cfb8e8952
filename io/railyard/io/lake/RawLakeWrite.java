package railyard.io.lake;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import railyard.io.files.Checks;
import railyard.io.files.FileCadence;
import railyard.io.files.PartitionedFileWrite;
import railyard.io.files.Partitions;
import railyard.model.RawEvent;
import railyard.transforms.CountElements;
import railyard.transforms.RailyardMetrics;

/**
 * Writes events, exactly as received, to the raw lake: Avro files ({@link LakeRecords#SCHEMA}) at
 * {@code <root>/raw/<pipeline>/dt=YYYY-MM-DD/hr=HH/<unique>.avro}, partitioned by {@code
 * receivedAt} in UTC. Files are write-once: every file gets a name no other write uses.
 *
 * <p>Unbounded input is cut into files by processing time, every event written however late (see
 * {@link PartitionedFileWrite}). Bounded input is written in one go. The result's destinations
 * are the partitions written.
 *
 * <pre>{@code
 * events.apply(RawLakeWrite.create().withRoot("gs://bucket/lake").withPipelineName("orders"));
 * }</pre>
 */
@AutoValue
public abstract class RawLakeWrite extends PTransform<PCollection<RawEvent>, PCollection<KV<String, String>>> {

  public abstract @Nullable String getRoot();

  public abstract @Nullable String getPipelineName();

  public abstract FileCadence getCadence();

  abstract Builder toBuilder();

  public static RawLakeWrite create() {
    return new AutoValue_RawLakeWrite.Builder()
        .setCadence(FileCadence.defaults())
        .build();
  }

  /** The lake root, e.g. {@code gs://bucket/lake} or {@code /data/lake}. */
  public RawLakeWrite withRoot(String root) {
    return toBuilder().setRoot(root).build();
  }

  public RawLakeWrite withPipelineName(String pipelineName) {
    return toBuilder().setPipelineName(pipelineName).build();
  }

  /** Files per hour partition per pane of files; default 1. */
  public RawLakeWrite withNumShards(int numShards) {
    return toBuilder().setCadence(getCadence().withNumShards(numShards)).build();
  }

  /** How often (in processing time) unbounded input is cut into files; default 1 minute. */
  public RawLakeWrite withWindow(Duration window) {
    return toBuilder().setCadence(getCadence().withWindow(window)).build();
  }


  @Override
  public PCollection<KV<String, String>> expand(PCollection<RawEvent> input) {
    checkArgument(
        getRoot() != null && !getRoot().isEmpty(), "RawLakeWrite needs withRoot(lakeRoot)");
    checkArgument(
        Checks.isPathSegment(getPipelineName()),
        "RawLakeWrite needs withPipelineName(name), a single path segment; was %s",
        getPipelineName());
    return input
        .apply(CountElements.as(RailyardMetrics.LAKE_RECORDS))
        .apply(
            "WriteAvro",
            PartitionedFileWrite.<RawEvent, GenericRecord>of(
                    event -> Partitions.hourly(event.receivedAt()),
                    LakeRecords::toAvro,
                    AvroIO.<GenericRecord>sink(LakeRecords.SCHEMA),
                    ".avro")
                .to(LakeRecords.rawDirectory(getRoot(), getPipelineName()))
                .withCadence(getCadence()));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRoot(String root);

    abstract Builder setPipelineName(String pipelineName);

    abstract Builder setCadence(FileCadence cadence);

    abstract RawLakeWrite build();
  }
}
