package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A view's metrics for one key and pane, in the view's metric order; {@code NaN} where a metric
 * had no values to summarise (a mean of nothing).
 */
public record ViewResult(long events, double[] values) {

  @Override
  public boolean equals(Object o) {
    return o instanceof ViewResult other
        && events == other.events
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(events) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "ViewResult{" + events + " events, " + Arrays.toString(values) + "}";
  }

  public static final class Coder extends SettingsFreeCoder<ViewResult> {
    @Override
    public void encode(ViewResult result, OutputStream out) throws IOException {
      VarLongCoder.of().encode(result.events(), out);
      VarIntCoder.of().encode(result.values().length, out);
      for (double value : result.values()) {
        DoubleCoder.of().encode(value, out);
      }
    }

    @Override
    public ViewResult decode(InputStream in) throws IOException {
      long events = VarLongCoder.of().decode(in);
      double[] values = new double[VarIntCoder.of().decode(in)];
      for (int i = 0; i < values.length; i++) {
        values[i] = DoubleCoder.of().decode(in);
      }
      return new ViewResult(events, values);
    }
  }
}
