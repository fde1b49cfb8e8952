package railyard.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import railyard.model.ServingRow;

/**
 * Adds to each health row the columns computed from its sums, once per fired pane rather than per
 * event: {@code duplicates} (valid less unique), {@code invalid_ratio} (dead letters per received
 * event) and {@code freshness_lag_seconds} (when the pane was computed less the newest event time
 * in it).
 */
public final class HealthDerived extends PTransform<PCollection<ServingRow>, PCollection<ServingRow>> {

  public static HealthDerived create() {
    return new HealthDerived();
  }

  @Override
  public PCollection<ServingRow> expand(PCollection<ServingRow> rows) {
    return rows.apply(
            "DeriveHealthColumns",
            MapElements.into(TypeDescriptor.of(ServingRow.class)).via(HealthDerived::derive))
        .setCoder(ServingRow.ServingRowCoder.of());
  }

  static ServingRow derive(ServingRow row) {
    if (!row.view().equals(HealthView.NAME)) {
      return row;
    }
    Map<String, Double> metrics = new LinkedHashMap<>(row.metrics());
    double valid = metrics.getOrDefault(HealthView.VALID, 0.0);
    double unique = metrics.getOrDefault(HealthView.UNIQUE, 0.0);
    metrics.put(HealthView.DUPLICATES, Math.max(0.0, valid - unique));
    double received = metrics.getOrDefault(HealthView.RECEIVED, 0.0);
    if (received > 0) {
      metrics.put(
          HealthView.INVALID_RATIO, metrics.getOrDefault(HealthView.DEAD_LETTERS, 0.0) / received);
    }
    Double newest = metrics.get(HealthView.NEWEST_EVENT_TIME);
    if (newest != null) {
      metrics.put(HealthView.FRESHNESS_LAG_SECONDS, (row.computedAt() - newest) / 1000.0);
    }
    return new ServingRow(
        row.view(),
        row.key(),
        row.windowStart(),
        row.windowEnd(),
        metrics,
        row.eventCount(),
        row.layer(),
        row.pane(),
        row.paneIndex(),
        row.computedAt());
  }
}
