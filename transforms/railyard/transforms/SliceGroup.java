package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Where a slice is shuffled to: the view (its position among the views computed together), the
 * serving key, and the group within the key ({@link SlicedView#forEachGroup}).
 */
record SliceGroup(int view, String key, long group) {

  /** Spelled out because it picks the bucket a slice is shuffled to: the same on every JVM. */
  @Override
  public int hashCode() {
    return (31 * view + key.hashCode()) * 31 + Long.hashCode(group);
  }

  /** Deterministic, as a grouping key's coder must be. */
  static final class Coder extends AtomicCoder<SliceGroup> {
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();

    @Override
    public void encode(SliceGroup group, OutputStream out) throws IOException {
      INT.encode(group.view(), out);
      STRING.encode(group.key(), out);
      LONG.encode(group.group(), out);
    }

    @Override
    public SliceGroup decode(InputStream in) throws IOException {
      return new SliceGroup(INT.decode(in), STRING.decode(in), LONG.decode(in));
    }
  }
}
