package railyard.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.schema.DeclaredSchema;

/**
 * Gathers a bundle's rows into batches by a hash of their event id, so a batch run's
 * deduplication shuffles and sorts one record per batch instead of one per event: all copies of
 * an id land in the same bucket, where {@link EarliestCopiesFn} folds them. Each row keeps its
 * timestamp beside it.
 *
 * <p>Memory is bounded: the batches leave every {@code maxRows} rows, and when the bundle ends.
 * Each batch is stamped with its earliest row's time, which can be earlier than the row being
 * processed: hence the allowed skew. Every row of a batch came from the bundle in flight, which
 * holds the watermark at or below its own earliest time, so no batch is ever behind the watermark.
 */
final class BucketCopiesWithinBundleFn
    extends DoFn<Row, KV<Integer, List<TimestampedValue<Row>>>> {
  private final int buckets;
  private final int maxRows;

  private transient List<List<TimestampedValue<Row>>> batches;
  private transient long[] earliest;
  private transient int rows;

  BucketCopiesWithinBundleFn(int buckets, int maxRows) {
    this.buckets = buckets;
    this.maxRows = maxRows;
  }

  static int bucketOf(String eventId, int buckets) {
    // Spreads String.hashCode's low bits, which differ little between ids that share a prefix.
    return Math.floorMod(eventId.hashCode() * 0x9E3779B9, buckets);
  }

  @StartBundle
  public void startBundle() {
    batches = new ArrayList<>(buckets);
    for (int b = 0; b < buckets; b++) {
      batches.add(new ArrayList<>());
    }
    earliest = new long[buckets];
    rows = 0;
  }

  @ProcessElement
  public void process(
      @Element Row row,
      @Timestamp Instant timestamp,
      OutputReceiver<KV<Integer, List<TimestampedValue<Row>>>> out) {
    int bucket = bucketOf(row.getString(DeclaredSchema.EVENT_ID), buckets);
    List<TimestampedValue<Row>> batch = batches.get(bucket);
    if (batch.isEmpty() || timestamp.getMillis() < earliest[bucket]) {
      earliest[bucket] = timestamp.getMillis();
    }
    batch.add(TimestampedValue.of(row, timestamp));
    if (++rows >= maxRows) {
      flush((kv, at) -> out.outputWithTimestamp(kv, at));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    flush((kv, at) -> context.output(kv, at, GlobalWindow.INSTANCE));
    batches = null;
  }

  private interface Sink {
    void accept(KV<Integer, List<TimestampedValue<Row>>> batch, Instant at);
  }

  private void flush(Sink sink) {
    for (int b = 0; b < buckets; b++) {
      List<TimestampedValue<Row>> batch = batches.get(b);
      if (!batch.isEmpty()) {
        sink.accept(KV.of(b, batch), new Instant(earliest[b]));
        batches.set(b, new ArrayList<>());
      }
    }
    rows = 0;
  }

  @Override
  @SuppressWarnings("deprecation") // the only way to stamp a batch at its earliest row, see above
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
