package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * Where a slice is shuffled to: one serving key of the views that group by the same fields, the
 * fields by their position among the views' distinct keys ({@link ViewTables#keys}). All of a key's
 * slices, of every view, meet in one group, which builds all of the key's windows.
 */
record SliceGroup(int keyFields, String key) {

  /** Spelled out because it picks the bucket a slice is shuffled to: the same on every JVM. */
  @Override
  public int hashCode() {
    return 31 * keyFields + key.hashCode();
  }

  /** Deterministic, as a grouping key's coder must be. */
  static final class Coder extends AtomicCoder<SliceGroup> {
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(SliceGroup group, OutputStream out) throws IOException {
      INT.encode(group.keyFields(), out);
      STRING.encode(group.key(), out);
    }

    @Override
    public SliceGroup decode(InputStream in) throws IOException {
      return new SliceGroup(INT.decode(in), STRING.decode(in));
    }
  }
}
