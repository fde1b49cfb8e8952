package railyard.io.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import railyard.io.catalog.FileCatalog;
import railyard.io.catalog.Sql;

/**
 * SQL over the catalogued warehouse with an embedded DuckDB: a fresh in-memory database holding
 * one view per table ({@link WarehouseViews}), nothing else. {@link #open} is the data scientist's
 * session (the CLI and exports); {@link #openReadOnly} is what the query API serves: one SELECT
 * at a time, files outside the warehouse unreachable, configuration locked.
 */
public final class WarehouseSql implements AutoCloseable {
  private static final ScheduledExecutorService CANCELLER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "railyard-sql-timeout");
            thread.setDaemon(true);
            return thread;
          });

  private final Connection duckdb;
  private final List<String> tables;
  private final SqlLimits limits;
  private final boolean readOnly;

  private WarehouseSql(Connection duckdb, List<String> tables, SqlLimits limits, boolean readOnly) {
    this.duckdb = duckdb;
    this.tables = tables;
    this.limits = limits;
    this.readOnly = readOnly;
  }

  /** A session over {@code catalog}'s tables with the whole of DuckDB at hand. */
  public static WarehouseSql open(FileCatalog catalog, SqlLimits limits) throws SQLException {
    Connection duckdb = connect(limits);
    return new WarehouseSql(
        duckdb, new ArrayList<>(WarehouseViews.create(duckdb, catalog)), limits, false);
  }

  /**
   * A locked-down session: only single SELECT statements run; files are readable only under the
   * warehouse directory and writable nowhere outside it (and SELECT cannot write); extensions
   * cannot be installed or loaded; memory and threads are capped; and the settings are locked so
   * a query cannot undo any of it.
   */
  public static WarehouseSql openReadOnly(FileCatalog catalog, SqlLimits limits) throws SQLException {
    Connection duckdb = connect(limits);
    try {
      List<String> tables = WarehouseViews.create(duckdb, catalog);
      try (Statement settings = duckdb.createStatement()) {
        settings.execute(
            "SET allowed_directories = [" + Sql.literal(catalog.warehouse() + "/") + "]");
        settings.execute("SET enable_external_access = false");
        settings.execute("SET autoinstall_known_extensions = false");
        settings.execute("SET autoload_known_extensions = false");
        settings.execute("SET threads = 1");
        settings.execute("SET lock_configuration = true");
      }
      return new WarehouseSql(duckdb, tables, limits, true);
    } catch (SQLException | RuntimeException e) {
      duckdb.close();
      throw e;
    }
  }

  private static Connection connect(SqlLimits limits) throws SQLException {
    Properties properties = new Properties();
    // Rows are fetched as they are read, so a huge result stops at the row limit instead of
    // being materialized first.
    properties.setProperty("jdbc_stream_results", "true");
    Connection duckdb = DriverManager.getConnection("jdbc:duckdb:", properties);
    try (Statement settings = duckdb.createStatement()) {
      settings.execute("SET TimeZone = 'UTC'");
      settings.execute("SET max_memory = " + Sql.literal(limits.maxMemory()));
    }
    return duckdb;
  }

  /** The tables that have a view, by name. */
  public List<String> tables() {
    return tables;
  }

  /**
   * Adds the {@code dead_letters} view of {@code pipeline}'s dead letters in the lake at {@code
   * lakeRoot}, if it has any; returns whether it did. Not for a read-only session.
   */
  public boolean addDeadLetters(String lakeRoot, String pipeline) throws SQLException {
    if (readOnly) {
      throw new IllegalStateException("a read-only session reads the warehouse only");
    }
    boolean added = LakeViews.createDeadLetters(duckdb, java.nio.file.Path.of(lakeRoot), pipeline);
    if (added && !tables.contains(LakeViews.DEAD_LETTERS)) {
      tables.add(LakeViews.DEAD_LETTERS);
    }
    return added;
  }

  /**
   * Adds the table {@code raw_events}: {@code pipeline}'s raw events in the lake at {@code
   * lakeRoot} received in {@code [from, to)}, at most {@code maxRows} of them ({@link
   * RawEventsTable}). Not for a read-only session.
   */
  public RawEventsTable.Load addRawEvents(
      String lakeRoot, String pipeline, java.time.Instant from, java.time.Instant to, long maxRows)
      throws SQLException {
    if (readOnly) {
      throw new IllegalStateException("a read-only session reads the warehouse only");
    }
    RawEventsTable.Load load =
        RawEventsTable.create(duckdb, java.nio.file.Path.of(lakeRoot), pipeline, from, to, maxRows);
    listed(RawEventsTable.RAW_EVENTS);
    return load;
  }

  /**
   * Adds {@code raw_events} as a view that, when read, fails with {@code message} (how to give
   * the time range it needs). Not for a read-only session.
   */
  public void refuseRawEvents(String message) throws SQLException {
    if (readOnly) {
      throw new IllegalStateException("a read-only session reads the warehouse only");
    }
    RawEventsTable.createRefusing(duckdb, message);
    listed(RawEventsTable.RAW_EVENTS);
  }

  private void listed(String table) {
    if (!tables.contains(table)) {
      tables.add(table);
    }
  }

  /** The DuckDB connection, for exports; not handed out by a read-only session. */
  public Connection connection() {
    if (readOnly) {
      throw new IllegalStateException("a read-only session does not hand out its connection");
    }
    return duckdb;
  }

  /**
   * Runs {@code sql} and returns up to the row limit of its rows; stops it at the time limit
   * ({@link SqlLimitException}). A read-only session runs only one SELECT statement.
   */
  public SqlResult query(String sql) throws SQLException {
    if (readOnly) {
      SelectOnly.check(duckdb, sql);
    }
    long started = System.nanoTime();
    AtomicBoolean timedOut = new AtomicBoolean();
    // Prepared first, so a query that cannot bind (an unknown column, a forbidden file) fails
    // with DuckDB's own message rather than a generic one from the streamed result.
    try (PreparedStatement statement = duckdb.prepareStatement(sql)) {
      ScheduledFuture<?> timer =
          CANCELLER.schedule(
              () -> {
                timedOut.set(true);
                cancel(statement);
              },
              limits.timeout().toMillis(),
              TimeUnit.MILLISECONDS);
      try {
        if (!statement.execute()) {
          return new SqlResult(List.of(), List.of(), List.of(), false, millisSince(started));
        }
        return read(statement.getResultSet(), started);
      } catch (SQLException e) {
        if (timedOut.get()) {
          throw new SqlLimitException(
              "the query was stopped at its time limit of " + limits.timeout().toMillis() + " ms");
        }
        throw e;
      } finally {
        timer.cancel(false);
      }
    }
  }

  private SqlResult read(ResultSet result, long started) throws SQLException {
    ResultSetMetaData meta = result.getMetaData();
    List<String> columns = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      columns.add(meta.getColumnLabel(i));
      types.add(meta.getColumnTypeName(i));
    }
    List<List<Object>> rows = new ArrayList<>();
    boolean truncated = false;
    while (result.next()) {
      if (rows.size() == limits.maxRows()) {
        truncated = true;
        break;
      }
      List<Object> row = new ArrayList<>(columns.size());
      for (int i = 1; i <= columns.size(); i++) {
        row.add(plain(result.getObject(i)));
      }
      rows.add(row);
    }
    return new SqlResult(columns, types, rows, truncated, millisSince(started));
  }

  /** Numbers, booleans and null as they are; times as ISO-8601 UTC instants; the rest as text. */
  private static Object plain(Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
      return value;
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().toString();
    }
    if (value instanceof java.sql.Timestamp time) {
      return time.toInstant().toString();
    }
    return value.toString();
  }

  private static void cancel(Statement statement) {
    try {
      statement.cancel();
    } catch (SQLException e) {
      // the statement already finished or closed: nothing left to stop
    }
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Override
  public void close() throws SQLException {
    duckdb.close();
  }
}
