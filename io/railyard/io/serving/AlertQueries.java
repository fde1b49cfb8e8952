package railyard.io.serving;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import railyard.model.Alert;

/**
 * The {@code alerts} table, one row per incident, in SQL that SQLite and PostgreSQL share word for
 * word. Recording is idempotent: an opening already recorded, or a resolution of an incident
 * already resolved, changes nothing, so retried and replayed alerts are recorded once.
 */
final class AlertQueries {
  static final String TABLE =
      """
      CREATE TABLE IF NOT EXISTS alerts (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
        source TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        view TEXT NOT NULL,
        key TEXT NOT NULL,
        metric TEXT NOT NULL,
        value DOUBLE PRECISION NOT NULL,
        threshold DOUBLE PRECISION NOT NULL,
        window_start BIGINT NOT NULL,
        window_end BIGINT NOT NULL,
        message TEXT NOT NULL,
        opened_at BIGINT NOT NULL,
        resolved_at BIGINT,
        resolved_window_end BIGINT)""";

  static final String INDEX = "CREATE INDEX IF NOT EXISTS alerts_by_status ON alerts (status, opened_at)";

  private static final String COLUMNS =
      "id, status, source, pipeline, rule, severity, view, key, metric, value, threshold,"
          + " window_start, window_end, message, opened_at, resolved_at";

  private static final String OPEN =
      "INSERT INTO alerts (" + COLUMNS + ") VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, NULL) ON CONFLICT (id) DO NOTHING";

  private static final String RESOLVE =
      "INSERT INTO alerts (" + COLUMNS + ", resolved_window_end) VALUES (?, 'resolved', ?, ?, ?,"
          + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status ="
          + " 'resolved', resolved_at = excluded.resolved_at, resolved_window_end ="
          + " excluded.resolved_window_end WHERE alerts.status = 'open'";

  private static final String SELECT = "SELECT " + COLUMNS + " FROM alerts";

  private AlertQueries() {}

  /** Records one change of an incident; true if the table changed. */
  static boolean record(Connection connection, Alert alert, long now) throws SQLException {
    boolean open = alert.status() == Alert.Status.OPEN;
    try (PreparedStatement statement = connection.prepareStatement(open ? OPEN : RESOLVE)) {
      int i = 1;
      statement.setString(i++, alert.id());
      for (String text : new String[] {alert.source(), alert.pipeline(), alert.rule(),
          alert.severity(), alert.view(), alert.key(), alert.metric()}) {
        statement.setString(i++, text);
      }
      statement.setDouble(i++, alert.value());
      statement.setDouble(i++, alert.threshold());
      statement.setLong(i++, alert.windowStart());
      statement.setLong(i++, alert.windowEnd());
      statement.setString(i++, alert.message());
      statement.setLong(i++, now);
      if (!open) {
        statement.setLong(i++, now);
        statement.setLong(i, alert.windowEnd());
      }
      return statement.executeUpdate() > 0;
    }
  }

  /** The incidents still open, oldest first. */
  static List<StoredAlert> open(Connection connection) throws SQLException {
    return read(connection, SELECT + " WHERE status = 'open' ORDER BY opened_at, id", -1);
  }

  /** The newest {@code limit} incidents, open or resolved, newest first. */
  static List<StoredAlert> recent(Connection connection, int limit) throws SQLException {
    return read(connection, SELECT + " ORDER BY opened_at DESC, id LIMIT ?", limit);
  }

  private static List<StoredAlert> read(Connection connection, String sql, int limit)
      throws SQLException {
    List<StoredAlert> alerts = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      if (limit >= 0) {
        statement.setInt(1, limit);
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          Alert alert =
              new Alert(
                  rows.getString(1),
                  Alert.Status.valueOf(rows.getString(2).toUpperCase(java.util.Locale.ROOT)),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6),
                  rows.getString(7),
                  rows.getString(8),
                  rows.getString(9),
                  rows.getDouble(10),
                  rows.getDouble(11),
                  rows.getLong(12),
                  rows.getLong(13),
                  rows.getString(14));
          long openedAt = rows.getLong(15);
          long resolvedAt = rows.getLong(16);
          alerts.add(new StoredAlert(alert, openedAt, rows.wasNull() ? null : resolvedAt));
        }
      }
    }
    return alerts;
  }
}
