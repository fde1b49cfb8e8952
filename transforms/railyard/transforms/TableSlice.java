package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One key's events of one time slice of a table ({@link ViewTables}), folded: an accumulator per
 * view of the table, and the times of the earliest and latest of the events (a session slice stands
 * for the windows from the one to the other plus the gap). Every event of a slice falls in the same
 * fixed and sliding windows, so the earliest also says which windows the slice belongs to.
 */
record TableSlice(int table, long earliest, long latest, ViewAccumulator[] accs) {

  static final class Coder extends SettingsFreeCoder<TableSlice> {
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final ViewAccumulator.Coder ACC = new ViewAccumulator.Coder();

    @Override
    public void encode(TableSlice slice, OutputStream out) throws IOException {
      INT.encode(slice.table(), out);
      LONG.encode(slice.earliest(), out);
      LONG.encode(slice.latest() - slice.earliest(), out);
      INT.encode(slice.accs().length, out);
      for (ViewAccumulator acc : slice.accs()) {
        ACC.encode(acc, out);
      }
    }

    @Override
    public TableSlice decode(InputStream in) throws IOException {
      int table = INT.decode(in);
      long earliest = LONG.decode(in);
      long latest = earliest + LONG.decode(in);
      ViewAccumulator[] accs = new ViewAccumulator[INT.decode(in)];
      for (int i = 0; i < accs.length; i++) {
        accs[i] = ACC.decode(in);
      }
      return new TableSlice(table, earliest, latest, accs);
    }
  }
}
