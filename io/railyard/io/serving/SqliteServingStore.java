package railyard.io.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/**
 * A {@link ServingStore} in one SQLite file. The table {@code serving} holds every row; the view
 * {@code serving_merged} is the lambda merge, so {@code sqlite3 <file> 'select * from
 * serving_merged'} shows what readers see. The file is in WAL mode: readers never block the
 * writer, and writers (threads or processes) take turns, waiting up to a busy timeout and then
 * retrying with backoff.
 */
public final class SqliteServingStore implements ServingStore {
  static final String PREFIX = "sqlite:";
  private static final String JDBC_PREFIX = "jdbc:sqlite:";
  private static final int SCHEMA_VERSION = 1;
  private static final int BUSY_TIMEOUT_MS = 5_000;
  private static final int MAX_ATTEMPTS = 8;
  private static final long MAX_BACKOFF_MS = 2_000;

  private static final List<String> SCHEMA =
      List.of(
          """
          CREATE TABLE IF NOT EXISTS serving (
            view TEXT NOT NULL,
            key TEXT NOT NULL,
            window_start INTEGER NOT NULL,
            window_end INTEGER NOT NULL,
            layer TEXT NOT NULL CHECK (layer IN ('speed', 'batch')),
            pane TEXT NOT NULL,
            pane_index INTEGER NOT NULL,
            event_count INTEGER NOT NULL,
            metrics TEXT NOT NULL,
            computed_at INTEGER NOT NULL,
            PRIMARY KEY (view, key, window_start, window_end, layer))""",
          // Serves readLayer, the merged view's lookup and the merging-view rules.
          """
          CREATE INDEX IF NOT EXISTS serving_by_layer
            ON serving (view, layer, key, window_start, window_end)""",
          // Serves the reads of one window of all keys (top keys, the latest complete window), in
          // key order, and finding the latest window without a scan.
          """
          CREATE INDEX IF NOT EXISTS serving_by_window
            ON serving (view, window_start, key, window_end)""",
          ServingWrites.SESSION_VIEWS_TABLE,
          // Replaced at every open, so a file made by an older version gets today's merge.
          "DROP VIEW IF EXISTS serving_merged",
          "CREATE VIEW serving_merged AS " + ServingWrites.MERGED_VIEW_QUERY,
          AlertQueries.TABLE,
          AlertQueries.INDEX);

  private final Path path;
  private final Set<String> mergingViews;
  private final Connection connection;

  private SqliteServingStore(Path path, Set<String> mergingViews, Connection connection) {
    this.path = path;
    this.mergingViews = Set.copyOf(mergingViews);
    this.connection = connection;
  }

  /** Whether {@code location} is {@code sqlite:<path>}, {@code jdbc:sqlite:<path>} or .db path. */
  static boolean accepts(String location) {
    if (location == null || location.isBlank()) {
      return false;
    }
    if (location.startsWith(PREFIX) || location.startsWith(JDBC_PREFIX)) {
      return !pathPart(location).isBlank();
    }
    String lower = location.toLowerCase(Locale.ROOT);
    return !lower.contains("://")
        && (lower.endsWith(".db") || lower.endsWith(".sqlite") || lower.endsWith(".sqlite3"));
  }

  private static String pathPart(String location) {
    if (location.startsWith(JDBC_PREFIX)) {
      return location.substring(JDBC_PREFIX.length());
    }
    return location.startsWith(PREFIX) ? location.substring(PREFIX.length()) : location;
  }

  /** Opens, creating the file, its parent folders and the schema if absent. */
  public static SqliteServingStore open(String location, Set<String> mergingViews) {
    if (!accepts(location)) {
      throw new IllegalArgumentException(
          "Not a SQLite location: '" + location + "'; expected sqlite:<path> or a .db path");
    }
    Path path = Path.of(pathPart(location)).toAbsolutePath();
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout(BUSY_TIMEOUT_MS);
      Connection connection = config.createConnection(JDBC_PREFIX + path);
      SqliteServingStore store = new SqliteServingStore(path, mergingViews, connection);
      try {
        store.retrying("create schema", store::createSchema);
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return store;
    } catch (IOException | SQLException e) {
      throw new ServingStoreException("Cannot open serving store " + path, e);
    }
  }

  /** The database file. */
  public Path path() {
    return path;
  }

  private Void createSchema() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // Persistent in the file; a no-op once set.
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
        if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
          throw new SQLException("The file " + path + " refused WAL mode");
        }
      }
      inTransaction(
          () -> {
            int version = userVersion(statement);
            if (version != 0 && version != SCHEMA_VERSION) {
              throw new SQLException(
                  path + " has serving schema version " + version + ", expected " + SCHEMA_VERSION);
            }
            for (String ddl : SCHEMA) {
              statement.execute(ddl);
            }
            declareSessionViews();
            statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            return null;
          });
    }
    return null;
  }

  private void declareSessionViews() throws SQLException {
    try (PreparedStatement declare =
        connection.prepareStatement(ServingWrites.DECLARE_SESSION_VIEW)) {
      for (String view : mergingViews) {
        declare.setString(1, view);
        declare.executeUpdate();
      }
    }
  }

  private static int userVersion(Statement statement) throws SQLException {
    try (ResultSet result = statement.executeQuery("PRAGMA user_version")) {
      return result.next() ? result.getInt(1) : 0;
    }
  }

  @Override
  public synchronized void upsert(List<ServingRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    retrying("upsert " + rows.size() + " rows", () -> inTransaction(() -> writeAll(rows)));
  }

  private Void writeAll(List<ServingRow> rows) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(ServingWrites.UPSERT);
        PreparedStatement inside = connection.prepareStatement(ServingWrites.INSIDE_A_WIDER_ONE);
        PreparedStatement deleteParts = connection.prepareStatement(ServingWrites.DELETE_PARTS)) {
      for (ServingRow row : rows) {
        if (mergingViews.contains(row.view())) {
          ServingWrites.bindSession(inside, row);
          try (ResultSet wider = inside.executeQuery()) {
            if (wider.next()) {
              continue; // a merged session that grew from this one is already stored
            }
          }
          ServingWrites.bindSession(deleteParts, row);
          deleteParts.executeUpdate();
        }
        ServingWrites.bindRow(upsert, row);
        upsert.executeUpdate();
      }
    }
    return null;
  }

  @Override
  public synchronized List<ServingRow> readMerged(String view) {
    return retrying(
        "read", () -> MergedQueries.rows(connection, ServingWrites.READ_MERGED, view));
  }

  @Override
  public synchronized List<ServingRow> readLayer(String view, Layer layer) {
    return retrying(
        "read",
        () -> MergedQueries.rows(connection, ServingWrites.READ_LAYER, view, layer.label()));
  }

  @Override
  public synchronized List<ServingRow> readMerged(
      String view,
      List<String> keys,
      long fromMillis,
      long toMillis,
      WindowPosition after,
      int limit) {
    MergedQueries.checkSeries(keys, fromMillis, toMillis, limit);
    String sql = MergedQueries.series(keys.size(), after != null);
    Object[] parameters =
        MergedQueries.seriesParameters(view, keys, fromMillis, toMillis, after, limit);
    return retrying("read a series", () -> MergedQueries.rows(connection, sql, parameters));
  }

  @Override
  public synchronized List<ServingRow> readMergedStartingAt(String view, long windowStart) {
    return retrying("read a window", () -> MergedQueries.rows(connection, MergedQueries.STARTING_AT, view, windowStart));
  }

  @Override
  public synchronized List<ServingRow> readLatestCompleteWindow(String view) {
    return retrying("read the latest complete window", () -> MergedQueries.latestCompleteWindow(connection, view));
  }

  @Override
  public synchronized List<ViewStats> viewStats() {
    return retrying("read view stats", () -> MergedQueries.viewStats(connection));
  }

  @Override
  public synchronized List<String> views() {
    return retrying("list views", () -> MergedQueries.views(connection));
  }

  @Override
  public synchronized boolean recordAlert(Alert alert, long recordedAt) {
    return retrying(
        "record alert " + alert.deliveryId(),
        () -> inTransaction(() -> AlertQueries.record(connection, alert, recordedAt)));
  }

  @Override
  public synchronized List<StoredAlert> openAlerts() {
    return retrying("read open alerts", () -> AlertQueries.open(connection));
  }

  @Override
  public synchronized List<StoredAlert> recentAlerts(int limit) {
    return retrying("read alerts", () -> AlertQueries.recent(connection, limit));
  }

  @Override
  public synchronized long countRows() {
    return retrying("count rows", () -> MergedQueries.countRows(connection));
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new ServingStoreException("Cannot close serving store " + path, e);
    }
  }

  @Override
  public String toString() {
    return "SqliteServingStore(" + path + ")";
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in a write transaction taken up front (BEGIN IMMEDIATE), so two writers never
   * both read and then both try to upgrade.
   */
  private <T> T inTransaction(SqlWork<T> work) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run();
        statement.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(statement, e);
        throw e;
      }
    }
  }

  // SQLite ends some failed transactions itself, and a ROLLBACK then fails: keep that as a note.
  private static void rollbackQuietly(Statement statement, Exception cause) {
    try {
      statement.execute("ROLLBACK");
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Runs {@code work}, retrying with jittered exponential backoff while the file is busy. */
  private <T> T retrying(String what, SqlWork<T> work) {
    long backoffMs = 10;
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException e) {
        if (!isBusy(e) || attempt == MAX_ATTEMPTS) {
          throw new ServingStoreException(
              "Serving store " + path + ": cannot " + what + " (attempt " + attempt + ")", e);
        }
      }
      try {
        Thread.sleep(backoffMs + ThreadLocalRandom.current().nextLong(backoffMs + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServingStoreException("Interrupted while waiting to " + what, e);
      }
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
  }

  /** SQLITE_BUSY or SQLITE_LOCKED, including their extended codes. */
  static boolean isBusy(SQLException e) {
    int code = e instanceof SQLiteException sqlite ? sqlite.getResultCode().code : e.getErrorCode();
    int primary = code & 0xff;
    return primary == 5 || primary == 6;
  }
}
