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

  /** The views whose windows merge (sessions), as stores that write them declared at open. */
  static final String SESSION_VIEWS_TABLE =
      "CREATE TABLE IF NOT EXISTS serving_session_views (view TEXT PRIMARY KEY)";

  static final String DECLARE_SESSION_VIEW =
      "INSERT INTO serving_session_views (view) VALUES (?) ON CONFLICT (view) DO NOTHING";

  /**
   * The lambda merge, the same text in SQLite and PostgreSQL. A batch row hides the speed rows of
   * its key whose window it contains, which for fixed and sliding windows means the same window:
   * batch windows of one length, so the candidate is the one starting last at or before the speed
   * row. In a session view a batch session hides every speed session of its key it overlaps, so
   * the two layers never both count an event: batch sessions of a key do not overlap one another,
   * so the candidate is the one starting last before the speed session ends.
   */
  static final String MERGED_VIEW_QUERY =
      """
      SELECT * FROM serving AS s
      WHERE s.layer = 'batch'
        OR (s.view NOT IN (SELECT view FROM serving_session_views)
          AND NOT coalesce((
            SELECT b.window_end >= s.window_end FROM serving AS b
            WHERE b.view = s.view AND b.layer = 'batch' AND b.key = s.key
              AND b.window_start <= s.window_start
            ORDER BY b.window_start DESC, b.window_end DESC
            LIMIT 1), false))
        OR (s.view IN (SELECT view FROM serving_session_views)
          AND NOT coalesce((
            SELECT b.window_end > s.window_start FROM serving AS b
            WHERE b.view = s.view AND b.layer = 'batch' AND b.key = s.key
              AND b.window_start < s.window_end
            ORDER BY b.window_start DESC, b.window_end DESC
            LIMIT 1), false))""";

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
