package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One key's events of one time slice of a view, folded: their accumulator and the times of the
 * earliest and latest of them (a session slice stands for the windows from the one to the other
 * plus the gap).
 */
record ViewSlice(long earliest, long latest, ViewAccumulator acc) {

  static final class Coder extends CustomCoder<ViewSlice> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final ViewAccumulator.Coder ACC = new ViewAccumulator.Coder();

    @Override
    public void encode(ViewSlice slice, OutputStream out) throws IOException {
      LONG.encode(slice.earliest(), out);
      LONG.encode(slice.latest() - slice.earliest(), out);
      ACC.encode(slice.acc(), out);
    }

    @Override
    public ViewSlice decode(InputStream in) throws IOException {
      long earliest = LONG.decode(in);
      return new ViewSlice(earliest, earliest + LONG.decode(in), ACC.decode(in));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Coder;
    }

    @Override
    public int hashCode() {
      return Coder.class.hashCode();
    }
  }
}
