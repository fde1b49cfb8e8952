package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.schema.DeclaredSchema;

/**
 * A stream's deduplication: of the copies of an event id, the first to arrive is kept, and a
 * later one is dropped (and counted) when it was received within the horizon of the kept one's
 * receipt; one received later than that is kept as a new event.
 *
 * <p>Ids are keyed by bucket ({@link #bucketOf}), not one key each: a key per id meant a state cell
 * and a timer per event, and the runner's per-timer bookkeeping was a third of a stream's CPU. A
 * bucket keeps its ids in order of arrival with their receipt times ({@link Seen}) and one timer,
 * set to the first time its oldest id may be forgotten, rounded up to a {@link #SLOT}; when the
 * timer fires, the bucket forgets every id whose horizon the watermark has passed, as the timer per
 * id did, and sets it again. While an id is kept, a copy is judged by its receipt time against the
 * kept one's, so a timer that fires late (a slot, or an id received out of order) never turns a
 * copy received after the horizon into a duplicate.
 */
final class KeepFirstCopyFn extends DoFn<KV<Integer, Row>, Row> {
  /** Buckets of ids: enough to spread over any parallelism, few enough for a timer each. */
  static final int BUCKETS = 4096;

  private final long horizon;
  private final long slot;
  private final Counter duplicates = RailyardMetrics.counter(RailyardMetrics.DUPLICATES);
  private final Counter unique = RailyardMetrics.counter(RailyardMetrics.UNIQUE);

  @StateId("seen")
  private final StateSpec<ValueState<Seen>> seenSpec = StateSpecs.value(new Seen.Coder());

  @TimerId("forget")
  private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  KeepFirstCopyFn(Duration horizon) {
    this.horizon = horizon.getMillis();
    this.slot = Math.max(1_000, this.horizon / 8);
  }

  /** The bucket of an event id: the same on every JVM ({@link String#hashCode} is specified). */
  static int bucketOf(String eventId) {
    return Math.floorMod(eventId.hashCode(), BUCKETS);
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Row> element,
      @StateId("seen") ValueState<Seen> state,
      @TimerId("forget") Timer forget,
      OutputReceiver<Row> out) {
    Row row = element.getValue();
    String id = row.getString(DeclaredSchema.EVENT_ID);
    long receivedAt = row.getDateTime(DeclaredSchema.RECEIVED_AT).getMillis();
    Seen seen = state.read();
    if (seen == null) {
      seen = new Seen();
    }
    Long first = seen.ids.get(id);
    if (first != null && receivedAt < first + horizon) {
      duplicates.inc();
      return;
    }
    if (first != null) {
      seen.ids.remove(id); // its horizon passed: a new event, last in the order of arrival
    }
    seen.ids.put(id, receivedAt);
    if (seen.forgetAt == Seen.UNSET) {
      seen.forgetAt = slotAfter(receivedAt + horizon);
      // No output timestamp: the timer must not hold the watermark back by the horizon.
      forget.withNoOutputTimestamp().set(new Instant(seen.forgetAt));
    }
    state.write(seen);
    unique.inc();
    out.output(row);
  }

  @OnTimer("forget")
  public void onForget(
      OnTimerContext context,
      @StateId("seen") ValueState<Seen> state,
      @TimerId("forget") Timer forget) {
    Seen seen = state.read();
    if (seen == null) {
      return;
    }
    long now = context.fireTimestamp().getMillis();
    Iterator<Map.Entry<String, Long>> oldest = seen.ids.entrySet().iterator();
    while (oldest.hasNext()) {
      long first = oldest.next().getValue();
      if (first + horizon > now) {
        break; // ids arrive roughly in receipt order: one received earlier waits for a later firing
      }
      oldest.remove();
    }
    if (seen.ids.isEmpty()) {
      state.clear();
      return;
    }
    seen.forgetAt = slotAfter(Math.max(seen.ids.values().iterator().next() + horizon, now + 1));
    forget.withNoOutputTimestamp().set(new Instant(seen.forgetAt));
    state.write(seen);
  }

  private long slotAfter(long at) {
    return Math.floorDiv(at + slot - 1, slot) * slot;
  }

  /** A bucket's ids in order of arrival, each with its receipt time, and its timer. */
  static final class Seen {
    static final long UNSET = Long.MIN_VALUE;

    final LinkedHashMap<String, Long> ids;
    long forgetAt = UNSET;

    Seen() {
      this(new LinkedHashMap<>());
    }

    private Seen(LinkedHashMap<String, Long> ids) {
      this.ids = ids;
    }

    static final class Coder extends SettingsFreeCoder<Seen> {
      private static final VarIntCoder INT = VarIntCoder.of();
      private static final VarLongCoder LONG = VarLongCoder.of();
      private static final StringUtf8Coder STRING = StringUtf8Coder.of();

      @Override
      public void encode(Seen seen, OutputStream out) throws IOException {
        INT.encode(seen.ids.size(), out);
        for (Map.Entry<String, Long> id : seen.ids.entrySet()) {
          STRING.encode(id.getKey(), out);
          LONG.encode(id.getValue(), out);
        }
        LONG.encode(seen.forgetAt, out);
      }

      @Override
      public Seen decode(InputStream in) throws IOException {
        int size = INT.decode(in);
        LinkedHashMap<String, Long> ids = new LinkedHashMap<>(Math.max(16, size * 2));
        for (int i = 0; i < size; i++) {
          ids.put(STRING.decode(in), LONG.decode(in));
        }
        Seen seen = new Seen(ids);
        seen.forgetAt = LONG.decode(in);
        return seen;
      }
    }
  }
}
