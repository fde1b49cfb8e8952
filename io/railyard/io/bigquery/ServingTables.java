package railyard.io.bigquery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.joda.time.Instant;
import railyard.model.ServingRow;

/**
 * The serving table in BigQuery: the columns of the other serving stores, its primary key (the
 * upsert key of {@link ServingRow}), the change sequence that makes an older pane lose, and the
 * {@code serving_merged} view.
 */
public final class ServingTables {
  public static final List<String> PRIMARY_KEY =
      List.of("view", "key", "window_start", "window_end", "layer");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long COMPUTED_AT_BITS = 42;
  private static final long COMPUTED_AT_MASK = (1L << COMPUTED_AT_BITS) - 1;

  private ServingTables() {}

  public static TableSchema tableSchema() {
    return new TableSchema()
        .setFields(
            List.of(
                field("view", "STRING"),
                field("key", "STRING"),
                field("window_start", "TIMESTAMP"),
                field("window_end", "TIMESTAMP"),
                field("layer", "STRING"),
                field("pane", "STRING"),
                field("pane_index", "INT64"),
                field("event_count", "INT64"),
                // JSON text, as in PostgreSQL: keeps the metric order and non-finite values.
                field("metrics", "STRING"),
                field("computed_at", "TIMESTAMP")));
  }

  private static TableFieldSchema field(String name, String type) {
    return new TableFieldSchema().setName(name).setType(type).setMode("REQUIRED");
  }

  public static TableRow toTableRow(ServingRow row) {
    try {
      return new TableRow()
          .set("view", row.view())
          .set("key", row.key())
          .set("window_start", new Instant(row.windowStart()).toString())
          .set("window_end", new Instant(row.windowEnd()).toString())
          .set("layer", row.layer().label())
          .set("pane", row.pane())
          .set("pane_index", Long.toString(row.paneIndex()))
          .set("event_count", Long.toString(row.eventCount()))
          .set("metrics", JSON.writeValueAsString(row.metrics()))
          .set("computed_at", new Instant(row.computedAt()).toString());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write metrics " + row.metrics(), e);
    }
  }

  /**
   * BigQuery keeps, per primary key, the upsert with the highest sequence: the pane index, then
   * the time it was computed (42 bits of milliseconds, until the year 2109). A retry sends the same
   * number and changes nothing; an older pane never replaces a newer one.
   */
  public static long changeSequence(ServingRow row) {
    return (row.paneIndex() << COMPUTED_AT_BITS) | (row.computedAt() & COMPUTED_AT_MASK);
  }

  /**
   * The lambda merge, as a view over {@code table} ({@code project.dataset.serving}), the rule of
   * the other stores: every batch row; a speed row of a window view unless a batch row of its view
   * and key covers its window; a speed row of a session view ({@code sessionViews}) unless a batch
   * session of its view and key overlaps it (sessions supersede by key and time range, never add).
   * Within a layer, a session that a wider one of the same view and key covers (it grew into that
   * one; CDC cannot delete it) is left out.
   */
  public static String mergedViewDdl(String table, String view, Set<String> sessionViews) {
    return mergedViewDdl(table, view, sessionViews, "`");
  }

  /**
   * The same view with its two names quoted by {@code quote}: BigQuery's backticks, or the double
   * quotes of engines that run it in tests. Nothing else in it is BigQuery's own.
   */
  static String mergedViewDdl(String table, String view, Set<String> sessionViews, String quote) {
    String from = quote + table + quote;
    String sessions =
        sessionViews.isEmpty()
            ? "FALSE"
            : sessionViews.stream()
                .sorted()
                .map(name -> "'" + name.replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "s.view IN (", ")"));
    return "CREATE OR REPLACE VIEW " + quote + view + quote + " AS\n"
        + "SELECT s.* FROM " + from + " AS s\n"
        + "WHERE NOT EXISTS (\n"
        + "  SELECT 1 FROM " + from + " AS w\n"
        + "  WHERE w.view = s.view AND w.key = s.key AND w.layer = s.layer\n"
        + "    AND w.window_start <= s.window_start AND w.window_end >= s.window_end\n"
        + "    AND (w.window_start < s.window_start OR w.window_end > s.window_end))\n"
        + "AND (s.layer = 'batch' OR NOT EXISTS (\n"
        + "  SELECT 1 FROM " + from + " AS b\n"
        + "  WHERE b.view = s.view AND b.key = s.key AND b.layer = 'batch'\n"
        + "    AND (CASE WHEN " + sessions + "\n"
        + "      THEN b.window_start < s.window_end AND b.window_end > s.window_start\n"
        + "      ELSE b.window_start <= s.window_start AND b.window_end >= s.window_end END)))";
  }
}
