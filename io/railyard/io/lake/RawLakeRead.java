package railyard.io.lake;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import railyard.io.files.Checks;
import railyard.io.files.Partitions;
import railyard.model.RawEvent;

/**
 * Reads the raw lake's events received in {@code [from, to)}, exactly as written by {@link
 * RawLakeWrite}, each with its {@code receivedAt} as element timestamp.
 *
 * <p>Only the day directories of the range are listed and only the hour partitions that overlap it
 * are opened; records are then filtered by {@code received_at}. Files outside the {@code
 * dt=YYYY-MM-DD/hr=HH} layout are not read.
 */
@AutoValue
public abstract class RawLakeRead extends PTransform<PBegin, PCollection<RawEvent>> {

  public abstract @Nullable String getRoot();

  public abstract @Nullable String getPipelineName();

  public abstract @Nullable Instant getFrom();

  public abstract @Nullable Instant getTo();

  abstract Builder toBuilder();

  public static RawLakeRead create() {
    return new AutoValue_RawLakeRead.Builder().build();
  }

  /** The lake root, as given to {@link RawLakeWrite#withRoot}. */
  public RawLakeRead withRoot(String root) {
    return toBuilder().setRoot(root).build();
  }

  public RawLakeRead withPipelineName(String pipelineName) {
    return toBuilder().setPipelineName(pipelineName).build();
  }

  /** Events received at or after {@code from} and before {@code to}. */
  public RawLakeRead withTimeRange(Instant from, Instant to) {
    return toBuilder().setFrom(from).setTo(to).build();
  }

  @Override
  public PCollection<RawEvent> expand(PBegin input) {
    checkArgument(getRoot() != null && !getRoot().isEmpty(), "RawLakeRead needs withRoot(lakeRoot)");
    checkArgument(
        Checks.isPathSegment(getPipelineName()),
        "RawLakeRead needs withPipelineName(name), a single path segment; was %s",
        getPipelineName());
    checkArgument(
        getFrom() != null && getTo() != null, "RawLakeRead needs withTimeRange(from, to)");
    checkArgument(
        getFrom().isBefore(getTo()),
        "withTimeRange(from, to) needs from before to; was [%s, %s)",
        getFrom(),
        getTo());

    long from = getFrom().getMillis();
    long to = getTo().getMillis();
    String directory = LakeRecords.rawDirectory(getRoot(), getPipelineName());
    List<String> dayGlobs =
        Partitions.daysOverlapping(from, to).stream()
            .map(day -> Partitions.join(directory, day, "hr=*", "*.avro"))
            .collect(Collectors.toList());

    return input
        .apply("ListDays", Create.of(dayGlobs).withCoder(StringUtf8Coder.of()))
        .apply("MatchFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply(
            "PruneHours",
            Filter.by(
                (MatchResult.Metadata file) ->
                    Partitions.hourOverlaps(file.resourceId().toString(), from, to)))
        .apply("OpenFiles", FileIO.readMatches())
        .apply(
            "ParseAvro",
            AvroIO.parseFilesGenericRecords(LakeRecords::fromAvro)
                .withCoder(RawEvent.RawEventCoder.of()))
        .apply(
            "InTimeRange",
            Filter.by((RawEvent event) -> event.receivedAt() >= from && event.receivedAt() < to))
        .apply("StampReceivedAt", WithTimestamps.of((RawEvent event) -> new Instant(event.receivedAt())));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRoot(String root);

    abstract Builder setPipelineName(String pipelineName);

    abstract Builder setFrom(Instant from);

    abstract Builder setTo(Instant to);

    abstract RawLakeRead build();
  }
}
