package railyard.io.sql;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import railyard.io.catalog.Sql;
import railyard.schema.DeclaredSchema;

/**
 * Writes the rows of one warehouse table whose event time is in {@code [from, to)} to one Parquet
 * or CSV file, for a notebook: {@code pandas.read_parquet}, {@code polars.read_csv} and the like.
 * Only the {@code dt} partitions the range overlaps are read.
 */
public final class WarehouseExport {
  /** The formats an export writes. */
  public enum Format {
    PARQUET,
    CSV;

    public static Format of(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--format must be parquet or csv, not '" + name + "'");
      }
    }
  }

  private WarehouseExport() {}

  /** Exports {@code table}'s rows of {@code [from, to)} to {@code file}; returns how many. */
  public static long export(
      WarehouseSql sql, String table, Instant from, Instant to, Format format, Path file)
      throws SQLException {
    if (!sql.tables().contains(table)) {
      throw new IllegalArgumentException(
          "no table '" + table + "' in the catalog; tables: " + sql.tables());
    }
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("--to must be after --from");
    }
    String query =
        String.format(
            "SELECT * FROM %s WHERE dt BETWEEN DATE %s AND DATE %s"
                + " AND %s >= %s::TIMESTAMPTZ AND %s < %s::TIMESTAMPTZ ORDER BY %s",
            Sql.identifier(table),
            Sql.literal(day(from)),
            Sql.literal(day(to.minusMillis(1))),
            DeclaredSchema.EVENT_TIME,
            Sql.literal(from.toString()),
            DeclaredSchema.EVENT_TIME,
            Sql.literal(to.toString()),
            DeclaredSchema.EVENT_TIME);
    return copy(sql, query, format, file);
  }

  /**
   * Exports the session's {@code raw_events} (loaded for a receipt time range by {@link
   * WarehouseSql#addRawEvents}) to {@code file}, in receipt order; returns how many rows.
   */
  public static long exportRawEvents(WarehouseSql sql, Format format, Path file) throws SQLException {
    return copy(
        sql, "SELECT * FROM " + RawEventsTable.RAW_EVENTS + " ORDER BY received_at", format, file);
  }

  private static long copy(WarehouseSql sql, String query, Format format, Path file)
      throws SQLException {
    String options = format == Format.PARQUET ? "FORMAT parquet" : "FORMAT csv, HEADER true";
    try (Statement statement = sql.connection().createStatement()) {
      statement.execute(
          "COPY (" + query + ") TO " + Sql.literal(file.toAbsolutePath().toString()) + " (" + options + ")");
      try (ResultSet count = statement.getResultSet()) {
        if (count != null && count.next()) {
          return count.getLong(1);
        }
      }
      return statement.getUpdateCount();
    }
  }

  private static String day(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}
