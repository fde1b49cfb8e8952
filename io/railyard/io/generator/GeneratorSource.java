package railyard.io.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/**
 * The generator as an {@link UnboundedSource}. A source reads the indices {@code offset,
 * offset + stride, offset + 2*stride, ...}; splitting into n multiplies the stride by n, so readers
 * share no index and together read each exactly once. A reader's checkpoint is the next index it
 * will read.
 *
 * <p>A reader's watermark is the receipt time of its last emitted event minus {@code
 * maxOutOfOrder}; once a run with {@code events > 0} has emitted its share (and advance() has
 * returned false after the last one) it is {@link
 * BoundedWindow#TIMESTAMP_MAX_VALUE}, which ends the read on the Direct, Flink and Spark runners.
 * With {@code rate > 0} each reader keeps to its share of the rate, counted from its creation, and
 * {@link UnboundedReader#advance()} returns false while it is ahead of schedule.
 */
public final class GeneratorSource
    extends UnboundedSource<RawEvent, GeneratorSource.Checkpoint> {
  private static final long serialVersionUID = 1L;

  private final EventGenerator generator;
  private final long offset;
  private final long stride;

  public GeneratorSource(EventGenerator generator) {
    this(generator, 0, 1);
  }

  private GeneratorSource(EventGenerator generator, long offset, long stride) {
    this.generator = Objects.requireNonNull(generator, "generator");
    this.offset = offset;
    this.stride = stride;
  }

  long offset() {
    return offset;
  }

  long stride() {
    return stride;
  }

  /** How many indices this source reads; -1 when it is endless. */
  long size() {
    long events = generator.config().events();
    if (events == 0) {
      return -1;
    }
    return offset >= events ? 0 : (events - 1 - offset) / stride + 1;
  }

  @Override
  public List<GeneratorSource> split(int desiredNumSplits, PipelineOptions options) {
    long n = Math.max(1, desiredNumSplits);
    long size = size();
    if (size >= 0) {
      n = Math.max(1, Math.min(n, size));
    }
    List<GeneratorSource> splits = new ArrayList<>();
    for (long k = 0; k < n; k++) {
      splits.add(new GeneratorSource(generator, offset + k * stride, stride * n));
    }
    return splits;
  }

  @Override
  public Reader createReader(PipelineOptions options, @Nullable Checkpoint checkpoint) {
    long next = checkpoint == null ? offset : checkpoint.nextIndex();
    if (next < offset || (next - offset) % stride != 0) {
      throw new IllegalArgumentException(
          "Checkpoint index " + next + " does not belong to the generator split " + this);
    }
    return new Reader(this, next);
  }

  @Override
  public Coder<Checkpoint> getCheckpointMarkCoder() {
    return CheckpointCoder.INSTANCE;
  }

  @Override
  public Coder<RawEvent> getOutputCoder() {
    return RawEvent.RawEventCoder.of();
  }

  @Override
  public String toString() {
    return "GeneratorSource{offset=" + offset + ", stride=" + stride + "}";
  }

  /** The next index a reader will read. Nothing to acknowledge: events are recomputed on replay. */
  public record Checkpoint(long nextIndex) implements UnboundedSource.CheckpointMark {
    @Override
    public void finalizeCheckpoint() {}
  }

  static final class CheckpointCoder extends CustomCoder<Checkpoint> {
    static final CheckpointCoder INSTANCE = new CheckpointCoder();
    private static final VarLongCoder LONG = VarLongCoder.of();

    @Override
    public void encode(Checkpoint value, OutputStream out) throws IOException {
      LONG.encode(value.nextIndex(), out);
    }

    @Override
    public Checkpoint decode(InputStream in) throws IOException {
      return new Checkpoint(LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Reads one split's indices in order. */
  public static final class Reader extends UnboundedSource.UnboundedReader<RawEvent> {
    private final GeneratorSource source;
    private final EventGenerator generator;
    private final long maxOutOfOrderMillis;
    private final long nanosPerEvent;
    private final long createdNanos = System.nanoTime();
    private long nextIndex;
    private long emitted;
    private @Nullable RawEvent current;
    private long currentIndex = -1;

    Reader(GeneratorSource source, long nextIndex) {
      this.source = source;
      this.generator = source.generator;
      this.nextIndex = nextIndex;
      this.maxOutOfOrderMillis = generator.config().maxOutOfOrder().getMillis();
      double rate = generator.config().rate();
      this.nanosPerEvent = rate > 0 ? (long) (source.stride * 1e9 / rate) : 0;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      current = null;
      if (exhausted() || aheadOfSchedule()) {
        return false;
      }
      currentIndex = nextIndex;
      current = generator.event(currentIndex);
      nextIndex += source.stride;
      emitted++;
      return true;
    }

    private boolean exhausted() {
      long events = generator.config().events();
      return events > 0 && nextIndex >= events;
    }

    private boolean aheadOfSchedule() {
      return nanosPerEvent > 0 && System.nanoTime() - createdNanos < emitted * nanosPerEvent;
    }

    @Override
    public RawEvent getCurrent() {
      if (current == null) {
        throw new NoSuchElementException("No current event: start() or advance() returned false");
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(getCurrent().receivedAt());
    }

    @Override
    public byte[] getCurrentRecordId() {
      getCurrent();
      return ByteBuffer.allocate(Long.BYTES).putLong(currentIndex).array();
    }

    @Override
    public Instant getWatermark() {
      if (exhausted() && current == null) {
        // Past the end: advance() has returned false after the last event.
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      long last = nextIndex - source.stride;
      if (last < 0) {
        return BoundedWindow.TIMESTAMP_MIN_VALUE;
      }
      return new Instant(generator.receivedAt(last) - maxOutOfOrderMillis);
    }

    @Override
    public Checkpoint getCheckpointMark() {
      return new Checkpoint(nextIndex);
    }

    @Override
    public GeneratorSource getCurrentSource() {
      return source;
    }

    @Override
    public long getSplitBacklogBytes() {
      return BACKLOG_UNKNOWN;
    }

    @Override
    public void close() {}
  }
}
