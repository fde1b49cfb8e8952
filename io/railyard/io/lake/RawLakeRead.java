package railyard.io.lake;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.io.files.Checks;
import railyard.io.files.Partitions;
import railyard.io.files.PolledFiles;
import railyard.model.RawEvent;

/**
 * Reads the raw lake's events exactly as written by {@link RawLakeWrite} (or by the HTTP
 * collector's lake sink).
 *
 * <p>Bounded, {@link #withTimeRange}: the events received in {@code [from, to)}, at the start of
 * time like every bounded source's (see {@link RawEvent}). Only the day directories of the range
 * are listed and only the hour partitions that overlap it are opened; records are then filtered by
 * {@code received_at}.
 *
 * <p>Unbounded, {@link #continuously}: follows the lake, reading every file that appears (each
 * once) with events received at or after {@code from}, each with its {@code receivedAt} as element
 * timestamp. This is how a streaming job consumes what the collector writes to the lake, and how
 * the lake is replayed as a stream. Files are written whole (renamed into place), so a listed file
 * is complete. The watermark trails the last listing by {@link #withArrivalLag}: a file holding
 * events older than that makes them late.
 *
 * <p>Files outside the {@code dt=YYYY-MM-DD/hr=HH} layout are not read.
 */
@AutoValue
public abstract class RawLakeRead extends PTransform<PBegin, PCollection<RawEvent>> {

  public abstract @Nullable String getRoot();

  public abstract @Nullable String getPipelineName();

  public abstract @Nullable Instant getFrom();

  public abstract @Nullable Instant getTo();

  public abstract @Nullable Duration getPollInterval();

  public abstract Duration getArrivalLag();

  public abstract @Nullable Duration getStopWhenIdleFor();

  abstract Builder toBuilder();

  public static RawLakeRead create() {
    return new AutoValue_RawLakeRead.Builder().setArrivalLag(DEFAULT_ARRIVAL_LAG).build();
  }

  /** How far behind the newest listing a file may still bring events, by default. */
  public static final Duration DEFAULT_ARRIVAL_LAG = Duration.standardSeconds(30);

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

  /**
   * Follows the lake: lists it every {@code pollInterval} and reads each new file once, from
   * {@code from} on, without end unless {@link #withStopWhenIdleFor} is set.
   */
  public RawLakeRead continuously(Instant from, Duration pollInterval) {
    return toBuilder().setFrom(from).setPollInterval(pollInterval).build();
  }

  /** When following: how late a file may appear after its events were received (default 30 s). */
  public RawLakeRead withArrivalLag(Duration lag) {
    return toBuilder().setArrivalLag(lag).build();
  }

  /** When following: end the read once no new file has appeared for {@code idle}. */
  public RawLakeRead withStopWhenIdleFor(Duration idle) {
    return toBuilder().setStopWhenIdleFor(idle).build();
  }

  @Override
  public PCollection<RawEvent> expand(PBegin input) {
    checkArgument(getRoot() != null && !getRoot().isEmpty(), "RawLakeRead needs withRoot(lakeRoot)");
    checkArgument(
        Checks.isPathSegment(getPipelineName()),
        "RawLakeRead needs withPipelineName(name), a single path segment; was %s",
        getPipelineName());
    return getPollInterval() == null ? readRange(input) : follow(input);
  }

  private PCollection<RawEvent> follow(PBegin input) {
    checkArgument(getFrom() != null, "continuously(from, pollInterval) needs a start instant");
    checkArgument(
        getTo() == null, "a continuous read has no end instant: use withTimeRange or continuously");
    checkArgument(
        getPollInterval().getMillis() > 0, "continuously(...) needs a positive poll interval");
    checkArgument(!getArrivalLag().isShorterThan(Duration.ZERO), "withArrivalLag needs lag >= 0");
    long from = getFrom().getMillis();
    String glob =
        Partitions.join(
            LakeRecords.rawDirectory(getRoot(), getPipelineName()), "dt=*", "hr=*", "*.avro");
    return parse(
            input.apply(
                "WatchFiles",
                PolledFiles.of(new ListRawFiles(glob, from, getArrivalLag()), getPollInterval())
                    .withStopWhenIdleFor(getStopWhenIdleFor())),
            from,
            Long.MAX_VALUE)
        .apply(
            "StampReceivedAt",
            WithTimestamps.of((RawEvent event) -> new Instant(event.receivedAt())));
  }

  private PCollection<RawEvent> readRange(PBegin input) {
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

    return parse(
        input
            .apply("ListDays", Create.of(dayGlobs).withCoder(StringUtf8Coder.of()))
            .apply(
                "MatchFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW)),
        from,
        to);
  }

  /** The records of {@code files} received in {@code [from, to)}, at the files' timestamp. */
  private static PCollection<RawEvent> parse(
      PCollection<MatchResult.Metadata> files, long from, long to) {
    return files
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
            Filter.by((RawEvent event) -> event.receivedAt() >= from && event.receivedAt() < to));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRoot(String root);

    abstract Builder setPipelineName(String pipelineName);

    abstract Builder setFrom(Instant from);

    abstract Builder setTo(Instant to);

    abstract Builder setPollInterval(Duration pollInterval);

    abstract Builder setArrivalLag(Duration arrivalLag);

    abstract Builder setStopWhenIdleFor(Duration idle);

    abstract RawLakeRead build();
  }

  /**
   * Lists the raw files of hours from {@code from} on. The watermark is the listing time less the
   * arrival lag, but never past the end of the newest hour listed: a replay of older data, listed
   * all at once, is then read before the watermark passes it, not found late.
   */
  private record ListRawFiles(String glob, long from, Duration arrivalLag)
      implements PolledFiles.Lister {
    @Override
    public PolledFiles.Listing list() throws IOException {
      long watermark = Instant.now().minus(arrivalLag).getMillis();
      long newestHourEnd = from;
      List<TimestampedValue<MatchResult.Metadata>> files = new ArrayList<>();
      for (MatchResult.Metadata file :
          FileSystems.match(glob, EmptyMatchTreatment.ALLOW).metadata()) {
        Optional<Long> hour = Partitions.hourStart(file.resourceId().toString());
        if (hour.isPresent() && hour.get() + Partitions.HOUR_MILLIS > from) {
          newestHourEnd = Math.max(newestHourEnd, hour.get() + Partitions.HOUR_MILLIS);
          // Each record is stamped with its own receipt time further on; the file's timestamp
          // must not be later than any of them.
          files.add(TimestampedValue.of(file, BoundedWindow.TIMESTAMP_MIN_VALUE));
        }
      }
      return new PolledFiles.Listing(files, new Instant(Math.min(watermark, newestHourEnd)));
    }
  }
}
