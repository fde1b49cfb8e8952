package railyard.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import railyard.model.DeadLetter;

/**
 * The names of the Beam metrics every stage reports, in one place for the job's summary, the
 * Prometheus endpoint and the README's list. Each stage counts what comes in; what it rejects is
 * counted under {@link #DEAD_LETTER_NAMESPACE} by stage and reason. A run balances: {@code
 * received = unique + duplicates + dead letters of parse and validate}.
 */
public final class RailyardMetrics {
  public static final String NAMESPACE = "railyard";
  public static final String DEAD_LETTER_NAMESPACE = "railyard.deadletter";

  /** Records into preparation: what the sources delivered. */
  public static final String RECEIVED = "received";
  /** Records that parsed, validated and got an event time. */
  public static final String VALID = "valid";
  /** Valid records dropped as copies of an id seen within the dedupe horizon. */
  public static final String DUPLICATES = "duplicates";
  /** Valid records kept by deduplication: what the warehouse and the views receive. */
  public static final String UNIQUE = "unique";
  /** Records into the raw lake write. */
  public static final String LAKE_RECORDS = "lake_records";
  /** Rows into the warehouse write (Parquet or BigQuery). */
  public static final String WAREHOUSE_ROWS = "warehouse_rows";
  /** Rows in the Parquet files the warehouse write published, read from their footers. */
  public static final String WAREHOUSE_ROWS_WRITTEN = "warehouse_rows_written";
  /** Dead letters into the dead-letter write, whatever their stage. */
  public static final String DEAD_LETTERS_WRITTEN = "dead_letters_written";
  /** Files a streaming write finished and then published into their partition. */
  public static final String FILES_PUBLISHED = "files_published";
  /**
   * Moves of a file found already published: a run resumed from a checkpoint, or a retried bundle,
   * repeating a move.
   */
  public static final String FILES_PUBLISHED_AGAIN = "files_published_again";
  /**
   * Prefix of the namespace of a metrics view's {@code droppedDueToLateness} (elements beyond its
   * allowed lateness): a stream's views share one step, so the namespace names the view.
   */
  public static final String LATE_DROPPED_NAMESPACE = "railyard.view/";
  /** Prefix of the per-view count of serving rows the views produce ({@code view_rows/<view>}). */
  public static final String VIEW_ROWS = "view_rows/";
  /** Serving rows upserted into the serving store. */
  public static final String SERVING_ROWS_WRITTEN = "serving_rows_written";
  /** Prefix of the per-view count of serving rows upserted ({@code serving_rows/<view>}). */
  public static final String SERVING_ROWS = "serving_rows/";

  /** Distribution: receipt time minus event time of valid records, in milliseconds. */
  public static final String EVENT_LAG_MS = "event_lag_ms";
  /** Distribution: payload size of received records, in bytes. */
  public static final String RECORD_BYTES = "record_bytes";
  /** Distribution: rows per serving-store upsert (one transaction). */
  public static final String SERVING_BATCH_ROWS = "serving_batch_rows";
  /** Alert incidents opened by the rules. */
  public static final String ALERTS_OPENED = "alerts_opened";
  /** Alert incidents resolved. */
  public static final String ALERTS_RESOLVED = "alerts_resolved";
  /** Alerts a sink took. */
  public static final String ALERTS_DELIVERED = "alerts_delivered";
  /** Alerts a sink gave up on (they become dead letters). */
  public static final String ALERT_DELIVERY_FAILURES = "alert_delivery_failures";
  /** Delivery attempts retried. */
  public static final String ALERT_DELIVERY_RETRIES = "alert_delivery_retries";

  private RailyardMetrics() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  public static Distribution distribution(String name) {
    return Metrics.distribution(NAMESPACE, name);
  }

  /**
   * A finished run's value of {@code metric}: the committed one where the runner has it (exact; the
   * Direct runner's attempted values can settle late), else the attempted one (Flink has only those).
   */
  public static <T> T valueOf(MetricResult<T> metric) {
    try {
      return metric.getCommitted();
    } catch (UnsupportedOperationException attemptedOnly) {
      return metric.getAttempted();
    }
  }

  /** One counter per stage and reason, e.g. {@code parse/malformed_json}. */
  public static Counter deadLetters(DeadLetter.Stage stage, String reason) {
    return Metrics.counter(DEAD_LETTER_NAMESPACE, stage.label() + "/" + reason);
  }
}
