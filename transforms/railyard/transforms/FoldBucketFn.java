package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Folds a bucket's batches ({@link BatchByBucketFn}) into one accumulator per key of {@code fn},
 * in a hash table, each with the time of its key's earliest element.
 */
final class FoldBucketFn<K, V, A>
    extends CombineFn<byte[], FoldBucketFn.Keyed<K, A>, FoldBucketFn.Keyed<K, A>> {

  /** A key's accumulator so far, and the time of its earliest element. */
  static final class Folded<A> {
    A acc;
    long earliest;

    Folded(A acc, long earliest) {
      this.acc = acc;
      this.earliest = earliest;
    }
  }

  /** The accumulators of a bucket's keys. */
  static final class Keyed<K, A> {
    final Map<K, Folded<A>> byKey = new HashMap<>();
  }

  private final CombineFn<V, A, ?> fn;
  private final EncodedBatch<K, V> encoding;
  private final Coder<K> keyCoder;
  private final Coder<A> accCoder;

  FoldBucketFn(CombineFn<V, A, ?> fn, EncodedBatch<K, V> encoding, Coder<A> accCoder) {
    this.fn = fn;
    this.encoding = encoding;
    this.keyCoder = encoding.keyCoder();
    this.accCoder = accCoder;
  }

  @Override
  public Keyed<K, A> createAccumulator() {
    return new Keyed<>();
  }

  @Override
  public Keyed<K, A> addInput(Keyed<K, A> keyed, byte[] batch) {
    encoding.forEach(
        batch,
        (element, at) -> {
          Folded<A> folded = keyed.byKey.get(element.getKey());
          if (folded == null) {
            folded = new Folded<>(fn.createAccumulator(), at);
            keyed.byKey.put(element.getKey(), folded);
          }
          folded.acc = fn.addInput(folded.acc, element.getValue());
          folded.earliest = Math.min(folded.earliest, at);
        });
    return keyed;
  }

  @Override
  public Keyed<K, A> mergeAccumulators(Iterable<Keyed<K, A>> accumulators) {
    Keyed<K, A> merged = createAccumulator();
    for (Keyed<K, A> keyed : accumulators) {
      keyed.byKey.forEach(
          (key, folded) ->
              merged.byKey.merge(
                  key,
                  folded,
                  (a, b) ->
                      new Folded<>(
                          fn.mergeAccumulators(List.of(a.acc, b.acc)),
                          Math.min(a.earliest, b.earliest))));
    }
    return merged;
  }

  @Override
  public Keyed<K, A> extractOutput(Keyed<K, A> keyed) {
    return keyed;
  }

  @Override
  public Coder<Keyed<K, A>> getAccumulatorCoder(
      CoderRegistry registry, Coder<byte[]> input) {
    return new KeyedCoder<>(keyCoder, accCoder);
  }

  @Override
  public Coder<Keyed<K, A>> getDefaultOutputCoder(
      CoderRegistry registry, Coder<byte[]> input) {
    return new KeyedCoder<>(keyCoder, accCoder);
  }

  static final class KeyedCoder<K, A> extends CustomCoder<Keyed<K, A>> {
    private final Coder<K> keyCoder;
    private final Coder<A> accCoder;

    KeyedCoder(Coder<K> keyCoder, Coder<A> accCoder) {
      this.keyCoder = keyCoder;
      this.accCoder = accCoder;
    }

    @Override
    public void encode(Keyed<K, A> keyed, OutputStream out) throws IOException {
      VarIntCoder.of().encode(keyed.byKey.size(), out);
      for (Map.Entry<K, Folded<A>> entry : keyed.byKey.entrySet()) {
        keyCoder.encode(entry.getKey(), out);
        accCoder.encode(entry.getValue().acc, out);
        VarLongCoder.of().encode(entry.getValue().earliest, out);
      }
    }

    @Override
    public Keyed<K, A> decode(InputStream in) throws IOException {
      Keyed<K, A> keyed = new Keyed<>();
      int keys = VarIntCoder.of().decode(in);
      for (int i = 0; i < keys; i++) {
        K key = keyCoder.decode(in);
        A acc = accCoder.decode(in);
        keyed.byKey.put(key, new Folded<>(acc, VarLongCoder.of().decode(in)));
      }
      return keyed;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyedCoder<?, ?> other
          && keyCoder.equals(other.keyCoder)
          && accCoder.equals(other.accCoder);
    }

    @Override
    public int hashCode() {
      return 31 * keyCoder.hashCode() + accCoder.hashCode();
    }
  }
}
