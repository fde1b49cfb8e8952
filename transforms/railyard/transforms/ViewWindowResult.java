package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;

/** A bounded view's result for one key and window: its view's position, the key, the window. */
record ViewWindowResult(int view, String key, long start, long end, ViewResult result) {

  IntervalWindow window() {
    return new IntervalWindow(new Instant(start), new Instant(end));
  }

  static final class Coder extends SettingsFreeCoder<ViewWindowResult> {
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final ViewResult.Coder RESULT = new ViewResult.Coder();

    @Override
    public void encode(ViewWindowResult result, OutputStream out) throws IOException {
      INT.encode(result.view(), out);
      STRING.encode(result.key(), out);
      LONG.encode(result.start(), out);
      LONG.encode(result.end() - result.start(), out);
      RESULT.encode(result.result(), out);
    }

    @Override
    public ViewWindowResult decode(InputStream in) throws IOException {
      int view = INT.decode(in);
      String key = STRING.decode(in);
      long start = LONG.decode(in);
      return new ViewWindowResult(view, key, start, start + LONG.decode(in), RESULT.decode(in));
    }
  }
}
