package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;
import railyard.schema.DeclaredSchema;

/**
 * Of all copies of one event, keeps the one received first and counts them.
 */
final class EarliestCopyFn extends CombineFn<Row, EarliestCopyFn.Copies, EarliestCopyFn.Copies> {

  /** The earliest copy seen so far and how many copies there were. */
  static final class Copies {
    Row earliest;
    long count;
  }

  private final Coder<Row> rowCoder;

  EarliestCopyFn(Coder<Row> rowCoder) {
    this.rowCoder = rowCoder;
  }

  @Override
  public Copies createAccumulator() {
    return new Copies();
  }

  @Override
  public Copies addInput(Copies copies, Row row) {
    copies.count++;
    if (copies.earliest == null || receivedAt(row) < receivedAt(copies.earliest)) {
      copies.earliest = row;
    }
    return copies;
  }

  @Override
  public Copies mergeAccumulators(Iterable<Copies> accumulators) {
    Copies merged = createAccumulator();
    for (Copies copies : accumulators) {
      merged.count += copies.count;
      if (copies.earliest != null
          && (merged.earliest == null || receivedAt(copies.earliest) < receivedAt(merged.earliest))) {
        merged.earliest = copies.earliest;
      }
    }
    return merged;
  }

  @Override
  public Copies extractOutput(Copies copies) {
    return copies;
  }

  @Override
  public Coder<Copies> getAccumulatorCoder(CoderRegistry registry, Coder<Row> input) {
    return new CopiesCoder(rowCoder);
  }

  @Override
  public Coder<Copies> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> input) {
    return new CopiesCoder(rowCoder);
  }

  private static long receivedAt(Row row) {
    return row.getDateTime(DeclaredSchema.RECEIVED_AT).getMillis();
  }

  static final class CopiesCoder extends CustomCoder<Copies> {
    private final Coder<Row> rowCoder;

    CopiesCoder(Coder<Row> rowCoder) {
      this.rowCoder = rowCoder;
    }

    @Override
    public void encode(Copies copies, OutputStream out) throws IOException {
      VarLongCoder.of().encode(copies.count, out);
      if (copies.count > 0) {
        rowCoder.encode(copies.earliest, out);
      }
    }

    @Override
    public Copies decode(InputStream in) throws IOException {
      Copies copies = new Copies();
      copies.count = VarLongCoder.of().decode(in);
      if (copies.count > 0) {
        copies.earliest = rowCoder.decode(in);
      }
      return copies;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CopiesCoder other && rowCoder.equals(other.rowCoder);
    }

    @Override
    public int hashCode() {
      return rowCoder.hashCode();
    }
  }
}
