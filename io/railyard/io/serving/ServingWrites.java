package railyard.io.serving;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import railyard.model.ServingRow;

/**
 * The write statements that SQLite and PostgreSQL share word for word, and how a row is bound to
 * them. Both take the same upsert, so an older pane never replaces a newer one in either store.
 */
final class ServingWrites {
  private ServingWrites() {}

  static final String UPSERT =
      "INSERT INTO serving ("
          + MergedQueries.COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (view, key, window_start, window_end, layer) DO UPDATE SET"
          + " pane = excluded.pane, pane_index = excluded.pane_index,"
          + " event_count = excluded.event_count, metrics = excluded.metrics,"
          + " computed_at = excluded.computed_at"
          + " WHERE excluded.pane_index >= serving.pane_index";

  // Both take: view, layer, key, window_start, window_end, window_start, window_end.
  static final String INSIDE_A_WIDER_ONE =
      "SELECT 1 FROM serving WHERE view = ? AND layer = ? AND key = ?"
          + " AND window_start <= ? AND window_end >= ?"
          + " AND (window_start <> ? OR window_end <> ?) LIMIT 1";
  static final String DELETE_PARTS =
      "DELETE FROM serving WHERE view = ? AND layer = ? AND key = ?"
          + " AND window_start >= ? AND window_end <= ?"
          + " AND (window_start <> ? OR window_end <> ?)";

  static final String READ_MERGED =
      "SELECT " + MergedQueries.COLUMNS + " FROM serving_merged WHERE view = ?"
          + " ORDER BY key, window_start, window_end, layer";
  static final String READ_LAYER =
      "SELECT " + MergedQueries.COLUMNS + " FROM serving WHERE view = ? AND layer = ?"
          + " ORDER BY key, window_start, window_end";

  /** Binds {@code row} to {@link #UPSERT}. */
  static void bindRow(PreparedStatement statement, ServingRow row) throws SQLException {
    statement.setString(1, row.view());
    statement.setString(2, row.key());
    statement.setLong(3, row.windowStart());
    statement.setLong(4, row.windowEnd());
    statement.setString(5, row.layer().label());
    statement.setString(6, row.pane());
    statement.setLong(7, row.paneIndex());
    statement.setLong(8, row.eventCount());
    statement.setString(9, MetricsJson.write(row.metrics()));
    statement.setLong(10, row.computedAt());
  }

  /** Binds {@code row}'s session to {@link #INSIDE_A_WIDER_ONE} or {@link #DELETE_PARTS}. */
  static void bindSession(PreparedStatement statement, ServingRow row) throws SQLException {
    statement.setString(1, row.view());
    statement.setString(2, row.layer().label());
    statement.setString(3, row.key());
    statement.setLong(4, row.windowStart());
    statement.setLong(5, row.windowEnd());
    statement.setLong(6, row.windowStart());
    statement.setLong(7, row.windowEnd());
  }
}
