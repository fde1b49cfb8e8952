package railyard.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One window of one view for one key: the serving contract shared by the batch and speed layers.
 * The upsert key is ({@code view}, {@code key}, {@code windowStart}, {@code windowEnd}, {@code
 * layer}).
 *
 * @param key the group-by values, joined by {@code |} (a {@code |} or {@code \\} in a value is
 *     escaped with {@code \\}, and a NUL is written {@code \\0})
 * @param metrics metric name to value, in the view's declared order
 * @param pane {@code EARLY}, {@code ON_TIME} or {@code LATE}
 */
@DefaultCoder(ServingRow.ServingRowCoder.class)
public record ServingRow(
    String view,
    String key,
    long windowStart,
    long windowEnd,
    Map<String, Double> metrics,
    long eventCount,
    Layer layer,
    String pane,
    long paneIndex,
    long computedAt)
    implements Serializable {

  /** Which half of the lambda architecture produced a row. */
  public enum Layer {
    SPEED,
    BATCH;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ServingRow {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(layer, "layer");
    metrics = new LinkedHashMap<>(metrics);
  }

  /** A compact positional coder. */
  public static final class ServingRowCoder extends CustomCoder<ServingRow> {
    private static final ServingRowCoder INSTANCE = new ServingRowCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<Double> DOUBLE = DoubleCoder.of();

    public static ServingRowCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(ServingRow.class), INSTANCE);
    }

    @Override
    public void encode(ServingRow row, OutputStream out) throws IOException {
      STRING.encode(row.view(), out);
      STRING.encode(row.key(), out);
      LONG.encode(row.windowStart(), out);
      LONG.encode(row.windowEnd(), out);
      encodeMetrics(row.metrics(), out);
      LONG.encode(row.eventCount(), out);
      STRING.encode(row.layer().name(), out);
      STRING.encode(row.pane(), out);
      LONG.encode(row.paneIndex(), out);
      LONG.encode(row.computedAt(), out);
    }

    @Override
    public ServingRow decode(InputStream in) throws IOException {
      return new ServingRow(
          STRING.decode(in),
          STRING.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          decodeMetrics(in),
          LONG.decode(in),
          Layer.valueOf(STRING.decode(in)),
          STRING.decode(in),
          LONG.decode(in),
          LONG.decode(in));
    }

    // Written in order, unlike MapCoder, so a row keeps its view's metric order.
    private static void encodeMetrics(Map<String, Double> metrics, OutputStream out)
        throws IOException {
      LONG.encode((long) metrics.size(), out);
      for (Map.Entry<String, Double> metric : metrics.entrySet()) {
        STRING.encode(metric.getKey(), out);
        DOUBLE.encode(metric.getValue(), out);
      }
    }

    private static Map<String, Double> decodeMetrics(InputStream in) throws IOException {
      long size = LONG.decode(in);
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (long i = 0; i < size; i++) {
        metrics.put(STRING.decode(in), DOUBLE.decode(in));
      }
      return metrics;
    }
  }
}
