package railyard.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Gathers a bundle's elements into batches by a hash of their key, so that a shuffle carries one
 * record per batch instead of one per element ({@link CombineInBuckets}). Each element keeps its
 * timestamp beside it, and a batch leaves as its bytes ({@link EncodedBatch}).
 *
 * <p>Memory is bounded: the batches leave every {@code maxBatched} elements, and when the bundle
 * ends. Each batch is stamped with its earliest element's time, which can be earlier than the
 * element being processed: hence the allowed skew. Every element of a batch came from the bundle in
 * flight, which holds the watermark at or below its own earliest time, so no batch is ever behind
 * the watermark.
 */
final class BatchByBucketFn<K, V> extends DoFn<KV<K, V>, KV<Integer, byte[]>> {
  private final EncodedBatch<K, V> encoding;
  private final int buckets;
  private final int maxBatched;

  /** Each bucket's batch, made when the bucket is first touched: small bundles touch few. */
  private transient EncodedBatch<K, V>.Writer[] batches;
  private transient int batched;

  BatchByBucketFn(EncodedBatch<K, V> encoding, int buckets, int maxBatched) {
    this.encoding = encoding;
    this.buckets = buckets;
    this.maxBatched = maxBatched;
  }

  /** The key's bucket; keys' hash codes are stable across JVMs (strings, records of such). */
  static int bucketOf(Object key, int buckets) {
    // Spreads the low bits, which differ little between strings that share a prefix.
    return Math.floorMod(key.hashCode() * 0x9E3779B9, buckets);
  }

  @StartBundle
  @SuppressWarnings("unchecked") // an array of an inner class of a generic class
  public void startBundle() {
    if (batches == null) {
      batches = (EncodedBatch<K, V>.Writer[]) new EncodedBatch<?, ?>.Writer[buckets];
    }
    batched = 0;
  }

  @ProcessElement
  public void process(
      @Element KV<K, V> element,
      @Timestamp Instant timestamp,
      OutputReceiver<KV<Integer, byte[]>> out) {
    int bucket = bucketOf(element.getKey(), buckets);
    if (batches[bucket] == null) {
      batches[bucket] = encoding.newWriter();
    }
    batches[bucket].add(element, timestamp.getMillis());
    if (++batched >= maxBatched) {
      flush(out::outputWithTimestamp);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    flush((batch, at) -> context.output(batch, at, GlobalWindow.INSTANCE));
  }

  private interface Sink<T> {
    void accept(T batch, Instant at);
  }

  private void flush(Sink<KV<Integer, byte[]>> sink) {
    for (int b = 0; b < buckets; b++) {
      EncodedBatch<K, V>.Writer batch = batches[b];
      if (batch != null && !batch.isEmpty()) {
        Instant earliest = new Instant(batch.earliest());
        sink.accept(KV.of(b, batch.finish()), earliest);
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
