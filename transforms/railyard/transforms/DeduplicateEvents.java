package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import railyard.schema.DeclaredSchema;

/**
 * Keeps the first copy of each event id and drops later copies received within the horizon,
 * counting each in {@code railyard/duplicates}. The horizon runs on receipt time ({@code
 * _received_at}), not event time, because resends are close in receipt however old the event:
 * a late event's resend is still caught. A stream keeps the ids it has seen by bucket ({@link
 * KeepFirstCopyFn}).
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
    // The one branch on boundedness: a bounded input is one horizon, folded by id once; a stream
    // keeps what it has seen in state, by bucket of ids, and forgets it on timers.
    PCollection<Row> unique =
        rows.isBounded() == PCollection.IsBounded.BOUNDED
            ? rows.apply(
                    "KeyByEventId",
                    MapElements.into(
                            TypeDescriptors.kvs(TypeDescriptors.strings(), rows.getTypeDescriptor()))
                        .via(row -> KV.of(row.getString(DeclaredSchema.EVENT_ID), row)))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), rowCoder))
                .apply(
                    "FoldCopies",
                    CombineInBuckets.<String, Row, EarliestCopyFn.Copies, EarliestCopyFn.Copies>of(
                            new EarliestCopyFn(rowCoder))
                        .withBatching(buckets(), maxBatchedRows()))
                .apply("KeepEarliestReceived", ParDo.of(new EarliestFn()))
            : rows.apply(
                    "KeyByBucketOfEventId",
                    MapElements.into(
                            TypeDescriptors.kvs(TypeDescriptors.integers(), rows.getTypeDescriptor()))
                        .via(row -> KV.of(KeepFirstCopyFn.bucketOf(eventId(row)), row)))
                .setCoder(KvCoder.of(VarIntCoder.of(), rowCoder))
                .apply("KeepFirstCopy", ParDo.of(new KeepFirstCopyFn(horizon())));
    return unique.setCoder(rowCoder);
  }

  private static String eventId(Row row) {
    return row.getString(DeclaredSchema.EVENT_ID);
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
}
