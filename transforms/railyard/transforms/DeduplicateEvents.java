package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.schema.DeclaredSchema;

/**
 * Keeps the first copy of each event id and drops later copies received within the horizon,
 * counting each in {@code railyard/duplicates}. The horizon runs on receipt time ({@code
 * _received_at}), not event time, because resends are close in receipt however old the event:
 * a late event's resend is still caught.
 *
 * <p>A bounded input is one horizon: copies are folded by id and the earliest received is kept,
 * whatever the order the runner reads them in. Grouping is the natural batch plan, and it avoids
 * per-key timers, which batch runners support unevenly (the Direct runner can let the watermark
 * pass rows still in flight behind a stateful step, so windows downstream lose them).
 *
 * <p>The copies are folded by {@link CombineInBuckets}, which shuffles batches of rows by bucket
 * of ids rather than one record per event. Each kept row is stamped with the earliest time among
 * its copies, so downstream windows see it where its copies were, on every runner, in the global
 * window.
 */
@AutoValue
public abstract class DeduplicateEvents extends PTransform<PCollection<Row>, PCollection<Row>> {
  abstract @Nullable Duration horizon();


  abstract int buckets();

  abstract int maxBatchedRows();

  abstract Builder toBuilder();

  public static DeduplicateEvents create() {
    return new AutoValue_DeduplicateEvents.Builder()
        .setBuckets(CombineInBuckets.BUCKETS)
        .setMaxBatchedRows(CombineInBuckets.MAX_BATCHED)
        .build();
  }


  /** How long after an event's receipt a copy still counts as a duplicate. */
  public DeduplicateEvents withHorizon(Duration horizon) {
    return toBuilder().setHorizon(horizon).build();
  }

  /** A batch run's buckets of ids and rows per batch; tests use tiny ones to reach every path. */
  DeduplicateEvents withBatching(int buckets, int maxBatchedRows) {
    return toBuilder().setBuckets(buckets).setMaxBatchedRows(maxBatchedRows).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setHorizon(Duration horizon);

    abstract Builder setBuckets(int buckets);

    abstract Builder setMaxBatchedRows(int maxBatchedRows);

    abstract DeduplicateEvents build();
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    checkArgument(horizon() != null, "DeduplicateEvents needs a horizon: call withHorizon()");
    checkArgument(horizon().getMillis() > 0, "withHorizon() must be positive");
    Coder<Row> rowCoder = rows.getCoder();
    PCollection<KV<String, Row>> byId =
        rows.apply(
                "KeyByEventId",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), rows.getTypeDescriptor()))
                    .via(row -> KV.of(row.getString(DeclaredSchema.EVENT_ID), row)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), rowCoder));
    PCollection<Row> unique =
        rows.isBounded() == PCollection.IsBounded.BOUNDED
            ? byId.apply(
                    "FoldCopies",
                    CombineInBuckets.<String, Row, EarliestCopyFn.Copies, EarliestCopyFn.Copies>of(
                            new EarliestCopyFn(rowCoder))
                        .withBatching(buckets(), maxBatchedRows()))
                .apply("KeepEarliestReceived", ParDo.of(new EarliestFn()))
            : byId.apply("KeepFirstCopy", ParDo.of(new KeepFirstFn(horizon())));
    return unique.setCoder(rowCoder);
  }

  /** Batch: of each id's copies, the one received first; the others are counted. */
  private static final class EarliestFn extends DoFn<KV<String, EarliestCopyFn.Copies>, Row> {
    @ProcessElement
    public void process(
        @Element KV<String, EarliestCopyFn.Copies> copies, OutputReceiver<Row> out) {
      RailyardMetrics.counter(RailyardMetrics.DUPLICATES).inc(copies.getValue().count - 1);
      RailyardMetrics.counter(RailyardMetrics.UNIQUE).inc();
      out.output(copies.getValue().earliest);
    }
  }

  private static final class KeepFirstFn extends DoFn<KV<String, Row>, Row> {
    private final Duration horizon;

    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("forget")
    private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    KeepFirstFn(Duration horizon) {
      this.horizon = horizon;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Row> event,
        @StateId("seen") ValueState<Boolean> seen,
        @TimerId("forget") Timer forget,
        OutputReceiver<Row> out) {
      if (seen.read() != null) {
        RailyardMetrics.counter(RailyardMetrics.DUPLICATES).inc();
        return;
      }
      seen.write(true);
      Instant receivedAt = event.getValue().getDateTime(DeclaredSchema.RECEIVED_AT).toInstant();
      // No output timestamp: the timer must not hold the watermark back by the horizon.
      forget.withNoOutputTimestamp().set(receivedAt.plus(horizon));
      RailyardMetrics.counter(RailyardMetrics.UNIQUE).inc();
      out.output(event.getValue());
    }

    @OnTimer("forget")
    public void onForget(@StateId("seen") ValueState<Boolean> seen) {
      seen.clear();
    }
  }
}
