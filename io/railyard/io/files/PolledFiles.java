package railyard.io.files;

import static railyard.io.files.Checks.checkArgument;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Every file a {@link Lister} finds, each once, as it appears: a source that lists again every
 * poll interval and, given {@code stopWhenIdleFor}, ends once no new file has appeared for that
 * long.
 *
 * <p>An unbounded source of its own rather than {@code Watch} (a splittable DoFn started by one
 * {@code Impulse} element): on Flink the impulse's source task finishes at once, the DoFn's task
 * then runs the whole watch inside its end-of-input step, and no checkpoint completes until it
 * returns, so a streaming job published nothing while it ran. This source's task stays up while it
 * watches, and checkpoints the files already handed on.
 */
public final class PolledFiles extends PTransform<PBegin, PCollection<MatchResult.Metadata>> {
  private final Lister lister;
  private final Duration pollInterval;
  private final @Nullable Duration stopWhenIdleFor;

  private PolledFiles(Lister lister, Duration pollInterval, @Nullable Duration stopWhenIdleFor) {
    this.lister = lister;
    this.pollInterval = pollInterval;
    this.stopWhenIdleFor = stopWhenIdleFor;
  }

  /** Files {@code lister} finds, listed every {@code pollInterval}, without end. */
  public static PolledFiles of(Lister lister, Duration pollInterval) {
    return new PolledFiles(lister, pollInterval, null);
  }

  /** Ends once no new file has appeared for {@code idle}. */
  public PolledFiles withStopWhenIdleFor(@Nullable Duration idle) {
    return new PolledFiles(lister, pollInterval, idle);
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PBegin begin) {
    checkArgument(lister != null, "PolledFiles needs a lister");
    checkArgument(
        pollInterval != null && pollInterval.getMillis() > 0,
        "PolledFiles needs a poll interval above zero, was %s",
        pollInterval);
    checkArgument(
        stopWhenIdleFor == null || stopWhenIdleFor.getMillis() > 0,
        "withStopWhenIdleFor(d) needs d above zero, was %s",
        stopWhenIdleFor);
    return begin.apply(
        "PollFiles", Read.from(new Source(lister, pollInterval.getMillis(), idleMillis())));
  }

  private long idleMillis() {
    return stopWhenIdleFor == null ? Long.MAX_VALUE : stopWhenIdleFor.getMillis();
  }

  /** What one listing found: files with their element timestamps, and the watermark after it. */
  public record Listing(List<TimestampedValue<MatchResult.Metadata>> files, Instant watermark) {}

  /** Lists the files to hand on; called once per poll, on a worker. */
  public interface Lister extends Serializable {
    Listing list() throws IOException;
  }

  /** The files matching {@code glob}, stamped with the time of the listing, which is the watermark. */
  public static Lister matching(String glob) {
    return new Matching(glob);
  }

  private record Matching(String glob) implements Lister {
    @Override
    public Listing list() throws IOException {
      Instant now = Instant.now();
      List<TimestampedValue<MatchResult.Metadata>> files = new ArrayList<>();
      for (MatchResult.Metadata file :
          FileSystems.match(glob, EmptyMatchTreatment.ALLOW).metadata()) {
        files.add(TimestampedValue.of(file, now));
      }
      return new Listing(files, now);
    }
  }

  /** What a checkpoint keeps: the files handed on, and when the newest of them first appeared. */
  record Seen(HashSet<String> files, long lastNewFileMillis, long watermarkMillis)
      implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  private static final class Source extends UnboundedSource<MatchResult.Metadata, Seen> {
    private final Lister lister;
    private final long pollMillis;
    private final long idleMillis;

    Source(Lister lister, long pollMillis, long idleMillis) {
      this.lister = lister;
      this.pollMillis = pollMillis;
      this.idleMillis = idleMillis;
    }

    @Override
    public List<Source> split(int desiredNumSplits, PipelineOptions options) {
      return List.of(this); // one lister: two would hand on every file twice
    }

    @Override
    public UnboundedReader<MatchResult.Metadata> createReader(
        PipelineOptions options, @Nullable Seen restored) {
      return new PollingReader(this, restored);
    }

    @Override
    public Coder<Seen> getCheckpointMarkCoder() {
      return SerializableCoder.of(Seen.class);
    }

    @Override
    public Coder<MatchResult.Metadata> getOutputCoder() {
      return MetadataCoderV2.of();
    }
  }

  private static final class PollingReader extends UnboundedSource.UnboundedReader<MatchResult.Metadata> {
    private final Source source;
    private final HashSet<String> handedOn;
    private final Set<String> queued = new HashSet<>();
    private final Deque<TimestampedValue<MatchResult.Metadata>> pending = new ArrayDeque<>();
    private long lastNewFileMillis;
    private long watermarkMillis;
    private long lastPollMillis = Long.MIN_VALUE;
    private @Nullable TimestampedValue<MatchResult.Metadata> current;
    private boolean ended;

    PollingReader(Source source, @Nullable Seen restored) {
      this.source = source;
      this.handedOn = restored == null ? new HashSet<>() : new HashSet<>(restored.files());
      this.lastNewFileMillis =
          restored == null ? System.currentTimeMillis() : restored.lastNewFileMillis();
      this.watermarkMillis =
          restored == null ? BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis() : restored.watermarkMillis();
    }

    @Override
    public boolean start() throws IOException {
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      if (ended) {
        return false;
      }
      long now = System.currentTimeMillis();
      boolean due = lastPollMillis == Long.MIN_VALUE || now - lastPollMillis >= source.pollMillis;
      if (pending.isEmpty() && due) {
        poll(now);
      }
      current = pending.poll();
      if (current == null) {
        return false;
      }
      String name = current.getValue().resourceId().toString();
      queued.remove(name);
      handedOn.add(name);
      return true;
    }

    private void poll(long now) throws IOException {
      Listing listing = source.lister.list();
      for (TimestampedValue<MatchResult.Metadata> file : listing.files()) {
        String name = file.getValue().resourceId().toString();
        if (!handedOn.contains(name) && queued.add(name)) {
          pending.add(file);
          lastNewFileMillis = now;
        }
      }
      watermarkMillis = Math.max(watermarkMillis, listing.watermark().getMillis());
      lastPollMillis = now;
    }

    @Override
    public MatchResult.Metadata getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current.getValue();
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current.getTimestamp();
    }

    @Override
    public Instant getWatermark() {
      boolean idle =
          pending.isEmpty()
              && source.idleMillis != Long.MAX_VALUE
              && System.currentTimeMillis() - lastNewFileMillis >= source.idleMillis;
      if (idle || ended) {
        ended = true; // nothing is handed on after the watermark has reached the end
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      long oldestPending =
          pending.stream()
              .mapToLong(file -> file.getTimestamp().getMillis())
              .min()
              .orElse(Long.MAX_VALUE);
      return new Instant(Math.min(watermarkMillis, oldestPending));
    }

    @Override
    public Seen getCheckpointMark() {
      return new Seen(new HashSet<>(handedOn), lastNewFileMillis, watermarkMillis);
    }

    @Override
    public UnboundedSource<MatchResult.Metadata, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
