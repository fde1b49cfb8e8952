package railyard.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Gathers a bundle's elements into batches by a hash of their key, so that a shuffle carries one
 * record per batch instead of one per element ({@link CombineInBuckets}). Each element keeps its
 * timestamp beside it.
 *
 * <p>Memory is bounded: the batches leave every {@code maxBatched} elements, and when the bundle
 * ends. Each batch is stamped with its earliest element's time, which can be earlier than the
 * element being processed: hence the allowed skew. Every element of a batch came from the bundle in
 * flight, which holds the watermark at or below its own earliest time, so no batch is ever behind
 * the watermark.
 */
final class BatchByBucketFn<K, V> extends DoFn<KV<K, V>, KV<Integer, List<TimestampedValue<KV<K, V>>>>> {
  private final int buckets;
  private final int maxBatched;

  /** The open batch of each bucket, or null: most bundles of a small input touch few buckets. */
  private transient List<List<TimestampedValue<KV<K, V>>>> batches;
  private transient long[] earliest;
  private transient int batched;

  BatchByBucketFn(int buckets, int maxBatched) {
    this.buckets = buckets;
    this.maxBatched = maxBatched;
  }

  /** The key's bucket; keys' hash codes are stable across JVMs (strings, records of such). */
  static int bucketOf(Object key, int buckets) {
    // Spreads the low bits, which differ little between strings that share a prefix.
    return Math.floorMod(key.hashCode() * 0x9E3779B9, buckets);
  }

  @StartBundle
  public void startBundle() {
    batches = new ArrayList<>(Collections.nCopies(buckets, null));
    earliest = new long[buckets];
    batched = 0;
  }

  @ProcessElement
  public void process(
      @Element KV<K, V> element,
      @Timestamp Instant timestamp,
      OutputReceiver<KV<Integer, List<TimestampedValue<KV<K, V>>>>> out) {
    int bucket = bucketOf(element.getKey(), buckets);
    List<TimestampedValue<KV<K, V>>> batch = batches.get(bucket);
    if (batch == null) {
      batch = new ArrayList<>();
      batches.set(bucket, batch);
      earliest[bucket] = timestamp.getMillis();
    } else {
      earliest[bucket] = Math.min(earliest[bucket], timestamp.getMillis());
    }
    batch.add(TimestampedValue.of(element, timestamp));
    if (++batched >= maxBatched) {
      flush(out::outputWithTimestamp);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    flush((batch, at) -> context.output(batch, at, GlobalWindow.INSTANCE));
    batches = null;
  }

  private interface Sink<T> {
    void accept(T batch, Instant at);
  }

  private void flush(Sink<KV<Integer, List<TimestampedValue<KV<K, V>>>>> sink) {
    for (int b = 0; b < buckets; b++) {
      List<TimestampedValue<KV<K, V>>> batch = batches.get(b);
      if (batch != null) {
        sink.accept(KV.of(b, batch), new Instant(earliest[b]));
        batches.set(b, null);
      }
    }
    batched = 0;
  }

  @Override
  @SuppressWarnings("deprecation") // the only way to stamp a batch at its earliest element, see above
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
