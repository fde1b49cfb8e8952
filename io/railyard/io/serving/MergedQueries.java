package railyard.io.serving;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/**
 * The read queries over {@code serving_merged} that SQLite and PostgreSQL share word for word.
 * Every value is a bound parameter.
 */
final class MergedQueries {
  static final String COLUMNS =
      "view, key, window_start, window_end, layer, pane, pane_index, event_count, metrics,"
          + " computed_at";

  /** A row is final once the batch layer wrote it or its speed pane fired at or after the end. */
  private static final String COMPLETE = "(layer = 'batch' OR pane IN ('ON_TIME', 'LATE'))";

  static final String STARTING_AT =
      "SELECT " + COLUMNS + " FROM serving_merged WHERE view = ? AND window_start = ?"
          + " ORDER BY key, window_end";


  // Two steps, so each walks the (view, window_start, …) index instead of sorting the view.
  static final String LATEST_COMPLETE_START =
      "SELECT window_start FROM serving_merged WHERE view = ? AND "
          + COMPLETE
          + " ORDER BY window_start DESC LIMIT 1";

  static final String LONGEST_COMPLETE_END =
      "SELECT max(window_end) FROM serving_merged WHERE view = ? AND window_start = ? AND "
          + COMPLETE;

  static final String IN_WINDOW =
      "SELECT " + COLUMNS + " FROM serving_merged"
          + " WHERE view = ? AND window_start = ? AND window_end = ? ORDER BY key";

  static final String VIEW_TOTALS =
      "SELECT view, count(*), min(window_start), max(window_end), max(computed_at)"
          + " FROM serving GROUP BY view ORDER BY view";

  static final String NEWEST_METRICS =
      "SELECT metrics FROM serving WHERE view = ? ORDER BY computed_at DESC LIMIT 1";

  static final String WINDOW_LENGTHS =
      "SELECT DISTINCT window_end - window_start AS length FROM serving WHERE view = ?"
          + " ORDER BY length LIMIT " + ViewStats.MAX_WINDOW_LENGTHS;

  private MergedQueries() {}

  /** Rows of {@code keyCount} keys with window_start in [from, to), optionally after a place. */
  static String series(int keyCount, boolean afterAPosition) {
    return "SELECT " + COLUMNS + " FROM serving_merged WHERE view = ?"
        + " AND key IN (" + String.join(", ", Collections.nCopies(keyCount, "?")) + ")"
        + " AND window_start >= ? AND window_start < ?"
        + (afterAPosition
            ? " AND (key > ? OR (key = ? AND (window_start > ?"
                + " OR (window_start = ? AND window_end > ?))))"
            : "")
        + " ORDER BY key, window_start, window_end LIMIT ?";
  }

  /** The parameters of {@link #series}, in order. */
  static Object[] seriesParameters(
      String view, List<String> keys, long from, long to, WindowPosition after, int limit) {
    Object[] parameters = new Object[keys.size() + (after == null ? 4 : 9)];
    int i = 0;
    parameters[i++] = view;
    for (String key : keys) {
      parameters[i++] = key;
    }
    parameters[i++] = from;
    parameters[i++] = to;
    if (after != null) {
      parameters[i++] = after.key();
      parameters[i++] = after.key();
      parameters[i++] = after.windowStart();
      parameters[i++] = after.windowStart();
      parameters[i++] = after.windowEnd();
    }
    parameters[i] = limit;
    return parameters;
  }

  static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      Object value = parameters[i];
      if (value instanceof String s) {
        statement.setString(i + 1, s);
      } else if (value instanceof Long l) {
        statement.setLong(i + 1, l);
      } else if (value instanceof Integer n) {
        statement.setInt(i + 1, n);
      } else {
        throw new IllegalArgumentException("Cannot bind " + value);
      }
    }
  }

  static void checkSeries(List<String> keys, long from, long to, int limit) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("readMerged needs at least one key");
    }
    if (to < from) {
      throw new IllegalArgumentException("readMerged: to " + to + " is before from " + from);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("readMerged: limit must be positive, was " + limit);
    }
  }

  static List<ServingRow> rows(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, parameters);
      List<ServingRow> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          rows.add(toRow(result));
        }
      }
      return rows;
    }
  }

  static ServingRow toRow(ResultSet result) throws SQLException {
    return new ServingRow(
        result.getString("view"),
        result.getString("key"),
        result.getLong("window_start"),
        result.getLong("window_end"),
        MetricsJson.read(result.getString("metrics")),
        result.getLong("event_count"),
        Layer.valueOf(result.getString("layer").toUpperCase(Locale.ROOT)),
        result.getString("pane"),
        result.getLong("pane_index"),
        result.getLong("computed_at"));
  }

  static List<ServingRow> latestCompleteWindow(Connection connection, String view)
      throws SQLException {
    Long start = singleLong(connection, LATEST_COMPLETE_START, view);
    if (start == null) {
      return List.of();
    }
    Long end = singleLong(connection, LONGEST_COMPLETE_END, view, start);
    return rows(connection, IN_WINDOW, view, start, end);
  }

  private static Long singleLong(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, parameters);
      try (ResultSet result = statement.executeQuery()) {
        if (!result.next()) {
          return null;
        }
        long value = result.getLong(1);
        return result.wasNull() ? null : value;
      }
    }
  }

  static List<ViewStats> viewStats(Connection connection) throws SQLException {
    List<ViewStats> stats = new ArrayList<>();
    try (PreparedStatement totals = connection.prepareStatement(VIEW_TOTALS);
        PreparedStatement metrics = connection.prepareStatement(NEWEST_METRICS);
        PreparedStatement lengths = connection.prepareStatement(WINDOW_LENGTHS);
        ResultSet result = totals.executeQuery()) {
      while (result.next()) {
        String view = result.getString(1);
        List<String> metricNames = new ArrayList<>();
        bind(metrics, view);
        try (ResultSet newest = metrics.executeQuery()) {
          if (newest.next()) {
            metricNames.addAll(MetricsJson.read(newest.getString(1)).keySet());
          }
        }
        List<Long> windowLengths = new ArrayList<>();
        bind(lengths, view);
        try (ResultSet length = lengths.executeQuery()) {
          while (length.next()) {
            windowLengths.add(length.getLong(1));
          }
        }
        stats.add(
            new ViewStats(
                view,
                result.getLong(2),
                result.getLong(3),
                result.getLong(4),
                result.getLong(5),
                metricNames,
                windowLengths));
      }
    }
    return stats;
  }

  /** The views that have rows, in name order. */
  static List<String> views(Connection connection) throws SQLException {
    List<String> views = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT DISTINCT view FROM serving ORDER BY view");
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        views.add(result.getString(1));
      }
    }
    return views;
  }

  /** How many rows the table holds, all views and layers. */
  static long countRows(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM serving");
        ResultSet result = statement.executeQuery()) {
      result.next();
      return result.getLong(1);
    }
  }
}
