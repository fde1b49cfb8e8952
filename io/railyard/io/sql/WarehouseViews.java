package railyard.io.sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import railyard.io.catalog.Column;
import railyard.io.catalog.FileCatalog;
import railyard.io.catalog.SchemaVersion;
import railyard.io.catalog.Sql;
import railyard.schema.DeclaredSchema;

/**
 * One SQL view per catalogued table over its Parquet partitions: {@code read_parquet} of {@code
 * <table>/dt=*}{@code /*.parquet} with Hive partitioning, so {@code dt} is a DATE column and a
 * filter on it skips whole partitions, and by column name, so files of an older schema version
 * read with null in the columns added since.
 */
public final class WarehouseViews {
  private WarehouseViews() {}

  /** Creates the views of every table in {@code catalog} on {@code duckdb}; returns their names. */
  public static List<String> create(Connection duckdb, FileCatalog catalog) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement statement = duckdb.createStatement()) {
      for (String table : catalog.tables()) {
        List<SchemaVersion> versions = catalog.versions(table);
        if (versions.isEmpty()) {
          continue;
        }
        statement.execute(
            "CREATE OR REPLACE VIEW " + Sql.identifier(table) + " AS "
                + source(catalog.tableDirectory(table), versions.get(versions.size() - 1)));
        names.add(table);
      }
    }
    return names;
  }

  /** The Parquet files of a table, or an empty relation of its columns before any is written. */
  private static String source(Path directory, SchemaVersion current) throws SQLException {
    if (hasParquet(directory)) {
      return "SELECT * FROM read_parquet("
          + Sql.literal(directory + "/dt=*/*.parquet")
          + ", hive_partitioning = true, union_by_name = true)";
    }
    StringBuilder empty = new StringBuilder("SELECT ");
    for (Column column : current.columns()) {
      empty.append("CAST(NULL AS ").append(sqlType(column.type())).append(") AS ")
          .append(Sql.identifier(column.name())).append(", ");
    }
    return empty
        .append("CAST(NULL AS VARCHAR) AS ").append(DeclaredSchema.EVENT_ID)
        .append(", CAST(NULL AS TIMESTAMPTZ) AS ").append(DeclaredSchema.EVENT_TIME)
        .append(", CAST(NULL AS TIMESTAMPTZ) AS ").append(DeclaredSchema.RECEIVED_AT)
        .append(", CAST(NULL AS VARCHAR) AS ").append(DeclaredSchema.SOURCE)
        .append(", CAST(NULL AS DATE) AS dt WHERE false")
        .toString();
  }

  private static boolean hasParquet(Path directory) throws SQLException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(directory, 2)) {
      return files.anyMatch(
          f -> f.getFileName().toString().endsWith(".parquet")
              && f.getParent().getFileName().toString().startsWith("dt="));
    } catch (java.io.IOException e) {
      throw new SQLException("cannot list " + directory, e);
    }
  }

  private static String sqlType(String type) {
    return switch (type) {
      case "string" -> "VARCHAR";
      case "long" -> "BIGINT";
      case "double" -> "DOUBLE";
      case "boolean" -> "BOOLEAN";
      case "timestamp" -> "TIMESTAMPTZ";
      default -> throw new IllegalArgumentException("no SQL type for '" + type + "'");
    };
  }
}
