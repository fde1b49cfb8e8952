package railyard.pipelines;

import java.io.File;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;

/**
 * A backfill of part of what {@value #SPEC} streams (received 10:00 to 10:10), a full replay of
 * all of it, and what readers are served, window by window.
 */
final class BackfillRuns {
  static final String SPEC = "src/test/resources/specs/backfill.yaml";
  static final Instant FROM = Instant.parse("2026-03-01T10:02:00Z");
  static final Instant TO = Instant.parse("2026-03-01T10:08:00Z");
  /** The spec's eventTime.allowedSkew. */
  static final long SKEW_MILLIS = 70_000;
  static final Set<String> VIEWS = Set.of("by_country_1m", "by_country_sliding", "user_sessions");

  private BackfillRuns() {}

  /** The options of a batch replay of [{@link #FROM}, {@link #TO}). */
  static String[] backfill() {
    return new String[] {"--mode=batch", "--source=lake", "--from=" + FROM, "--to=" + TO};
  }

  /** The options of a batch replay of everything streamed, into {@code serving}. */
  static String[] fullReplay(File serving) {
    return new String[] {
      "--mode=batch",
      "--source=lake",
      "--from=2026-03-01T09:00:00Z",
      "--to=2026-03-01T11:00:00Z",
      "--serving=" + serving
    };
  }

  /** Every view's merged rows: window and key to event count and metrics, whatever the layer. */
  static Map<String, String> merged(String serving) {
    Map<String, String> rows = new TreeMap<>();
    try (ServingStore store = ServingStore.open(serving)) {
      for (String view : VIEWS) {
        for (ServingRow row : store.readMerged(view)) {
          String window = row.view() + "|" + row.key() + "|" + row.windowStart() + "|" + row.windowEnd();
          String value = row.eventCount() + " " + rounded(row.metrics());
          if (rows.put(window, value) != null) {
            rows.put(window, "served twice");
          }
        }
      }
    }
    return rows;
  }

  /** How many batch rows of {@code view} readers are served. */
  static long batchRows(String serving, String view) {
    try (ServingStore store = ServingStore.open(serving)) {
      return store.readMerged(view).stream().filter(r -> r.layer() == ServingRow.Layer.BATCH).count();
    }
  }

  /** Metrics to four decimals: batch and stream may add the same values in another order. */
  private static String rounded(Map<String, Double> metrics) {
    StringBuilder text = new StringBuilder();
    metrics.forEach((name, value) -> text.append(name).append('=').append(String.format("%.4f ", value)));
    return text.toString();
  }
}
