package railyard.io.serving;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/**
 * A {@link ServingStore} in PostgreSQL, on a small pool of connections (HikariCP). The table
 * {@code serving} holds every row and the view {@code serving_merged} is the lambda merge, so any
 * SQL client sees what readers see. The schema is created, or checked, at open; several stores may
 * open the same database at once.
 *
 * <p>An upsert is one transaction. Rows are written in key order, so concurrent writers take row
 * locks in the same order; a deadlock or serialization failure is retried as a whole, which is
 * safe because every write is an idempotent upsert. Rows of merging (session) views also take a
 * transaction-scoped advisory lock on their view, layer and key, so the widest-session rule holds
 * whatever order concurrent writers run in.
 */
public final class PostgresServingStore implements ServingStore {
  private static final List<String> PREFIXES =
      List.of("jdbc:postgresql://", "postgresql://", "postgres://");
  private static final int SCHEMA_VERSION = 1;
  private static final int POOL_SIZE = 4;
  private static final int MAX_ATTEMPTS = 8;
  private static final long MAX_BACKOFF_MS = 2_000;

  private static final List<String> SCHEMA =
      List.of(
          """
          CREATE TABLE IF NOT EXISTS railyard_serving_schema (version INTEGER NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS serving (
            view TEXT NOT NULL,
            key TEXT NOT NULL,
            window_start BIGINT NOT NULL,
            window_end BIGINT NOT NULL,
            layer TEXT NOT NULL CHECK (layer IN ('speed', 'batch')),
            pane TEXT NOT NULL,
            pane_index BIGINT NOT NULL,
            event_count BIGINT NOT NULL,
            metrics TEXT NOT NULL,
            computed_at BIGINT NOT NULL,
            PRIMARY KEY (view, key, window_start, window_end, layer))""",
          """
          CREATE INDEX IF NOT EXISTS serving_by_layer
            ON serving (view, layer, key, window_start, window_end)""",
          // Serves the reads of one window of all keys (top keys, the latest complete window), in
          // key order, and finding the latest window without a scan.
          """
          CREATE INDEX IF NOT EXISTS serving_by_window
            ON serving (view, window_start, key, window_end)""",
          ServingWrites.SESSION_VIEWS_TABLE,
          "CREATE OR REPLACE VIEW serving_merged AS " + ServingWrites.MERGED_VIEW_QUERY,
          AlertQueries.TABLE,
          AlertQueries.INDEX);

  private static final String LOCK_SESSION_KEY =
      "SELECT pg_advisory_xact_lock(hashtextextended(? || '|' || ? || '|' || ?, 0))";

  private static final Comparator<ServingRow> WRITE_ORDER =
      Comparator.comparing(ServingRow::view)
          .thenComparing(ServingRow::key)
          .thenComparingLong(ServingRow::windowStart)
          .thenComparingLong(ServingRow::windowEnd)
          .thenComparing(row -> row.layer().label());

  private final String url;
  private final Set<String> mergingViews;
  private final HikariDataSource pool;

  private PostgresServingStore(String url, Set<String> mergingViews, HikariDataSource pool) {
    this.url = url;
    this.mergingViews = Set.copyOf(mergingViews);
    this.pool = pool;
  }

  /** Whether {@code location} is {@code postgresql://…}, {@code postgres://…} or the JDBC URL. */
  static boolean accepts(String location) {
    return location != null
        && PREFIXES.stream()
            .anyMatch(p -> location.startsWith(p) && location.length() > p.length());
  }

  /** The JDBC URL of a location {@link #accepts} takes. */
  private static String jdbcUrl(String location) {
    if (location.startsWith("jdbc:")) {
      return location;
    }
    return "jdbc:postgresql://" + location.substring(location.indexOf("://") + 3);
  }

  /**
   * Opens a pool on the database at {@code location} (e.g. {@code
   * postgresql://127.0.0.1:5432/railyard?user=railyard}) and creates or checks the schema.
   */
  public static PostgresServingStore open(String location, Set<String> mergingViews) {
    if (!accepts(location)) {
      throw new IllegalArgumentException(
          "Not a PostgreSQL location: '" + location + "'; expected postgresql://host:port/db");
    }
    String url = jdbcUrl(location);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setAutoCommit(false);
    config.setPoolName("railyard-serving");
    // Lets the driver send a batch of upserts as multi-row statements.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new ServingStoreException("Cannot connect to serving store " + redacted(url), e);
    }
    PostgresServingStore store = new PostgresServingStore(url, mergingViews, pool);
    try {
      store.retrying("create schema", store::createSchema);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private Void createSchema(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // One store at a time creates or checks the schema.
      statement.execute("SELECT pg_advisory_xact_lock(hashtext('railyard_serving_schema'))");
      for (String ddl : SCHEMA) {
        statement.execute(ddl);
      }
      try (PreparedStatement declare =
          connection.prepareStatement(ServingWrites.DECLARE_SESSION_VIEW)) {
        for (String view : mergingViews) {
          declare.setString(1, view);
          declare.executeUpdate();
        }
      }
      try (ResultSet result =
          statement.executeQuery("SELECT version FROM railyard_serving_schema")) {
        if (!result.next()) {
          statement.execute(
              "INSERT INTO railyard_serving_schema (version) VALUES (" + SCHEMA_VERSION + ")");
        } else if (result.getInt(1) != SCHEMA_VERSION) {
          throw new ServingStoreException(
              redacted(url)
                  + " has serving schema version "
                  + result.getInt(1)
                  + ", expected "
                  + SCHEMA_VERSION);
        }
      }
    }
    return null;
  }

  @Override
  public void upsert(List<ServingRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    // One statement may not update a row twice: of one key's rows, keep the newest pane (the last
    // given of equal panes), as writing them one by one would.
    Map<List<Object>, ServingRow> newest = new HashMap<>();
    for (ServingRow row : rows) {
      List<Object> key =
          List.of(row.view(), row.key(), row.windowStart(), row.windowEnd(), row.layer());
      newest.merge(key, row, (kept, next) -> next.paneIndex() >= kept.paneIndex() ? next : kept);
    }
    List<ServingRow> ordered = new ArrayList<>(newest.values());
    ordered.sort(WRITE_ORDER);
    retrying("upsert " + rows.size() + " rows", connection -> writeAll(connection, ordered));
  }

  private Void writeAll(Connection connection, List<ServingRow> rows) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(ServingWrites.UPSERT);
        PreparedStatement lock = connection.prepareStatement(LOCK_SESSION_KEY);
        PreparedStatement inside = connection.prepareStatement(ServingWrites.INSIDE_A_WIDER_ONE);
        PreparedStatement deleteParts = connection.prepareStatement(ServingWrites.DELETE_PARTS)) {
      for (ServingRow row : rows) {
        if (!mergingViews.contains(row.view())) {
          ServingWrites.bindRow(upsert, row);
          upsert.addBatch();
          continue;
        }
        lock.setString(1, row.view());
        lock.setString(2, row.layer().label());
        lock.setString(3, row.key());
        lock.execute();
        ServingWrites.bindSession(inside, row);
        try (ResultSet wider = inside.executeQuery()) {
          if (wider.next()) {
            continue; // a merged session that grew from this one is already stored
          }
        }
        ServingWrites.bindSession(deleteParts, row);
        deleteParts.executeUpdate();
        ServingWrites.bindRow(upsert, row);
        upsert.executeUpdate();
      }
      upsert.executeBatch();
    }
    return null;
  }

  @Override
  public List<ServingRow> readMerged(String view) {
    return retrying("read", c -> MergedQueries.rows(c, ServingWrites.READ_MERGED, view));
  }

  @Override
  public List<ServingRow> readLayer(String view, Layer layer) {
    return retrying(
        "read",
        c -> MergedQueries.rows(c, ServingWrites.READ_LAYER, view, layer.label()));
  }

  @Override
  public List<ServingRow> readMerged(
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
    return retrying("read a series", connection -> MergedQueries.rows(connection, sql, parameters));
  }

  @Override
  public List<ServingRow> readMergedStartingAt(String view, long windowStart) {
    return retrying("read a window", connection -> MergedQueries.rows(connection, MergedQueries.STARTING_AT, view, windowStart));
  }

  @Override
  public List<ServingRow> readLatestCompleteWindow(String view) {
    return retrying("read the latest complete window", connection -> MergedQueries.latestCompleteWindow(connection, view));
  }

  @Override
  public List<ViewStats> viewStats() {
    return retrying("read view stats", connection -> MergedQueries.viewStats(connection));
  }

  @Override
  public List<String> views() {
    return retrying("list views", connection -> MergedQueries.views(connection));
  }

  @Override
  public boolean recordAlert(Alert alert, long recordedAt) {
    return retrying(
        "record alert " + alert.deliveryId(),
        connection -> AlertQueries.record(connection, alert, recordedAt));
  }

  @Override
  public List<StoredAlert> openAlerts() {
    return retrying("read open alerts", AlertQueries::open);
  }

  @Override
  public List<StoredAlert> recentAlerts(int limit) {
    return retrying("read alerts", connection -> AlertQueries.recent(connection, limit));
  }

  @Override
  public long countRows() {
    return retrying("count rows", connection -> MergedQueries.countRows(connection));
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "PostgresServingStore(" + redacted(url) + ")";
  }

  /** The URL without its query string, which may carry a password. */
  private static String redacted(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }

  private interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection, retrying the whole transaction
   * with jittered exponential backoff on a deadlock, a serialization failure or a lost connection.
   */
  private <T> T retrying(String what, SqlWork<T> work) {
    long backoffMs = 10;
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = pool.getConnection()) {
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection, e);
          throw e;
        }
      } catch (SQLException e) {
        if (!isTransient(e) || attempt == MAX_ATTEMPTS) {
          throw new ServingStoreException(
              "Serving store " + redacted(url) + ": cannot " + what + " (attempt " + attempt + ")",
              e);
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

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Serialization failure (40001), deadlock (40P01), or a connection problem (class 08), found on
   * the exception or the batch's next exception.
   */
  static boolean isTransient(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null
          && (state.equals("40001") || state.equals("40P01") || state.startsWith("08"))) {
        return true;
      }
    }
    return false;
  }
}
