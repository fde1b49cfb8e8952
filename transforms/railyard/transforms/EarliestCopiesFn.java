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
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TimestampedValue.TimestampedValueCoder;
import railyard.schema.DeclaredSchema;

/**
 * Of all copies of each event in a bucket's batches ({@link BucketCopiesWithinBundleFn}), keeps
 * the one received first, at its own timestamp, and counts them all.
 */
final class EarliestCopiesFn
    extends CombineFn<List<TimestampedValue<Row>>, EarliestCopiesFn.Copies, EarliestCopiesFn.Copies> {

  /** The earliest copy of each id seen so far, and how many copies of all ids there were. */
  static final class Copies {
    final Map<String, TimestampedValue<Row>> earliest = new HashMap<>();
    long count;

    long duplicates() {
      return count - earliest.size();
    }

    void add(TimestampedValue<Row> copy) {
      count++;
      earliest.merge(id(copy), copy, (kept, other) -> receivedAt(other) < receivedAt(kept) ? other : kept);
    }
  }

  private final Coder<Row> rowCoder;

  EarliestCopiesFn(Coder<Row> rowCoder) {
    this.rowCoder = rowCoder;
  }

  @Override
  public Copies createAccumulator() {
    return new Copies();
  }

  @Override
  public Copies addInput(Copies copies, List<TimestampedValue<Row>> batch) {
    batch.forEach(copies::add);
    return copies;
  }

  @Override
  public Copies mergeAccumulators(Iterable<Copies> accumulators) {
    Copies merged = createAccumulator();
    for (Copies copies : accumulators) {
      long count = merged.count + copies.count;
      copies.earliest.values().forEach(merged::add);
      merged.count = count;
    }
    return merged;
  }

  @Override
  public Copies extractOutput(Copies copies) {
    return copies;
  }

  @Override
  public Coder<Copies> getAccumulatorCoder(CoderRegistry registry, Coder<List<TimestampedValue<Row>>> input) {
    return new CopiesCoder(rowCoder);
  }

  @Override
  public Coder<Copies> getDefaultOutputCoder(CoderRegistry registry, Coder<List<TimestampedValue<Row>>> input) {
    return new CopiesCoder(rowCoder);
  }

  private static String id(TimestampedValue<Row> copy) {
    return copy.getValue().getString(DeclaredSchema.EVENT_ID);
  }

  private static long receivedAt(TimestampedValue<Row> copy) {
    return copy.getValue().getDateTime(DeclaredSchema.RECEIVED_AT).getMillis();
  }

  static final class CopiesCoder extends CustomCoder<Copies> {
    private final TimestampedValueCoder<Row> copyCoder;

    CopiesCoder(Coder<Row> rowCoder) {
      this.copyCoder = TimestampedValueCoder.of(rowCoder);
    }

    @Override
    public void encode(Copies copies, OutputStream out) throws IOException {
      VarLongCoder.of().encode(copies.count, out);
      VarIntCoder.of().encode(copies.earliest.size(), out);
      for (TimestampedValue<Row> copy : copies.earliest.values()) {
        copyCoder.encode(copy, out);
      }
    }

    @Override
    public Copies decode(InputStream in) throws IOException {
      Copies copies = new Copies();
      long count = VarLongCoder.of().decode(in);
      int kept = VarIntCoder.of().decode(in);
      for (int i = 0; i < kept; i++) {
        copies.add(copyCoder.decode(in));
      }
      copies.count = count;
      return copies;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CopiesCoder other && copyCoder.equals(other.copyCoder);
    }

    @Override
    public int hashCode() {
      return copyCoder.hashCode();
    }
  }
}
