package railyard.io.query;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/** Serving rows for the API tests: one-minute windows from {@link #T0}. */
final class QueryRows {
  static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
  static final long MINUTE = 60_000;

  private QueryRows() {}

  static long start(int window) {
    return T0.toEpochMilli() + window * MINUTE;
  }

  static String iso(int window) {
    return Instant.ofEpochMilli(start(window)).toString();
  }

  static ServingRow speed(String view, String key, int window, String pane, long count) {
    return row(view, key, window, Layer.SPEED, pane, count);
  }

  static ServingRow batch(String view, String key, int window, long count) {
    return row(view, key, window, Layer.BATCH, "ON_TIME", count);
  }

  static ServingRow row(String view, String key, int window, Layer layer, String pane, long count) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("total_amount", count * 2.5);
    metrics.put("max_amount", 100.0 - count);
    long paneIndex = pane.equals("EARLY") ? 0 : pane.equals("ON_TIME") ? 1 : 2;
    return new ServingRow(
        view,
        key,
        start(window),
        start(window + 1),
        metrics,
        count,
        layer,
        pane,
        layer == Layer.BATCH ? 0 : paneIndex,
        start(window + 2));
  }
}
