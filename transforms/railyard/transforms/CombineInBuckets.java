package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * {@code Combine.perKey} in the global window for a bounded input whose keys are many and have few
 * values each (event ids, the slices of views with many keys), shuffled by bucket of keys rather
 * than by key: elements travel in batches of one bucket ({@link BatchByBucketFn}), so the runner
 * sorts tens of times fewer records, each batch as its bytes ({@link EncodedBatch}), and each
 * bucket folds its keys in a hash table ({@link FoldBucketFn}). On Flink, sorting one record per
 * key was the costliest step of a batch run: Beam's key comparator decodes both keys on every
 * comparison.
 *
 * <p>Each key's result is stamped with its earliest value's time, so it holds the watermark where
 * its values did on the runners that track one in batch (the Direct runner), and what follows sees
 * no late data. The buckets are folded in one window over the whole input ({@link
 * WholeInputWindow}); a bucket holds about 1/{@code buckets} of the input's keys at once. The
 * results come back in the global window with the input's windowing, as {@code Combine.perKey}'s
 * would.
 */
final class CombineInBuckets<K, V, A, O>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, O>>> {
  /** Buckets of keys. */
  static final int BUCKETS = 2048;

  /** Elements a bundle gathers into batches before they leave: about 25 a batch. */
  static final int MAX_BATCHED = 50_000;

  private final CombineFn<V, A, O> fn;
  private final int buckets;
  private final int maxBatched;

  private CombineInBuckets(CombineFn<V, A, O> fn, int buckets, int maxBatched) {
    this.fn = fn;
    this.buckets = buckets;
    this.maxBatched = maxBatched;
  }

  static <K, V, A, O> CombineInBuckets<K, V, A, O> of(CombineFn<V, A, O> fn) {
    return new CombineInBuckets<>(fn, BUCKETS, MAX_BATCHED);
  }

  /** Tests use tiny buckets and batches to reach every path. */
  CombineInBuckets<K, V, A, O> withBatching(int buckets, int maxBatched) {
    return new CombineInBuckets<>(fn, buckets, maxBatched);
  }

  @Override
  public PCollection<KV<K, O>> expand(PCollection<KV<K, V>> input) {
    checkArgument(
        input.isBounded() == PCollection.IsBounded.BOUNDED,
        "CombineInBuckets reads a bounded input; combine a stream with Combine.perKey");
    checkArgument(
        input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows,
        "CombineInBuckets reads an input in the global window, not %s",
        input.getWindowingStrategy().getWindowFn());
    KvCoder<K, V> inputCoder = (KvCoder<K, V>) input.getCoder();
    Coder<K> keyCoder = inputCoder.getKeyCoder();
    CoderRegistry registry = input.getPipeline().getCoderRegistry();
    Coder<A> accCoder;
    Coder<O> outputCoder;
    try {
      accCoder = fn.getAccumulatorCoder(registry, inputCoder.getValueCoder());
      outputCoder = fn.getDefaultOutputCoder(registry, inputCoder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException("CombineInBuckets needs the coders of its combine", e);
    }
    EncodedBatch<K, V> encoding = new EncodedBatch<>(inputCoder);
    return input
        .apply("BatchByBucket", ParDo.of(new BatchByBucketFn<>(encoding, buckets, maxBatched)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("OneWindow", WholeInputWindow.earliest())
        .apply("FoldBuckets", Combine.perKey(new FoldBucketFn<>(fn, encoding, accCoder)))
        .apply("PerKey", ParDo.of(new PerKeyFn<K, A, O>(fn)))
        .setCoder(KvCoder.of(keyCoder, outputCoder))
        .apply("BackToGlobalWindow", Window.into(new GlobalWindows()))
        // As Beam's Reshuffle does: the results are in the global window, as the input was, and
        // take the input's windowing back, so what follows needs no window of its own for them.
        .setWindowingStrategyInternal(input.getWindowingStrategy());
  }

  /** Each key's result, at the time of its earliest value. */
  private static final class PerKeyFn<K, A, O>
      extends DoFn<KV<Integer, FoldBucketFn.Keyed<K, A>>, KV<K, O>> {
    private final CombineFn<?, A, O> fn;

    PerKeyFn(CombineFn<?, A, O> fn) {
      this.fn = fn;
    }

    /**
     * A bucket's time is the window's doing, not its keys': where a value came in behind the
     * watermark (a step before stamped it with an earlier event time) the Direct runner holds the
     * whole bucket at the end of the window, a thousand years ahead. Each key goes back to its
     * earliest value's time, however far before that.
     */
    @Override
    @SuppressWarnings("deprecation") // Beam's only way to output before the input's timestamp
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, FoldBucketFn.Keyed<K, A>> bucket, OutputReceiver<KV<K, O>> out) {
      bucket
          .getValue()
          .byKey
          .forEach(
              (key, folded) ->
                  out.outputWithTimestamp(
                      KV.of(key, fn.extractOutput(folded.acc)), new Instant(folded.earliest)));
    }
  }
}
