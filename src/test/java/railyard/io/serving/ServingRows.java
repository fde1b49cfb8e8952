package railyard.io.serving;

import java.util.LinkedHashMap;
import java.util.Map;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/** Test rows: short to write, with metrics derived from the pane so changes are visible. */
final class ServingRows {
  private ServingRows() {}

  static ServingRow speed(String view, String key, long start, long end, long paneIndex) {
    return row(view, key, start, end, Layer.SPEED, paneIndex == 0 ? "EARLY" : "LATE", paneIndex);
  }

  static ServingRow batch(String view, String key, long start, long end) {
    return row(view, key, start, end, Layer.BATCH, "ON_TIME", 0);
  }

  static ServingRow row(
      String view, String key, long start, long end, Layer layer, String pane, long paneIndex) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("sum", 10.0 * (paneIndex + 1));
    metrics.put("avg", 1.5 + paneIndex);
    return new ServingRow(
        view, key, start, end, metrics, 3 + paneIndex, layer, pane, paneIndex, 1_000 + paneIndex);
  }
}
