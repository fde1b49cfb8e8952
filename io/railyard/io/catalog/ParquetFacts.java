package railyard.io.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.annotation.Nullable;
import railyard.schema.DeclaredSchema;

/**
 * Rows and event-time range of a warehouse Parquet file, read by DuckDB from the file's footer
 * statistics (no data pages are scanned for them).
 */
final class ParquetFacts implements AutoCloseable {
  record Facts(long rows, @Nullable Long minEventTime, @Nullable Long maxEventTime) {}

  private final Connection duckdb;

  ParquetFacts() throws SQLException {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  Facts of(String path) throws SQLException {
    String sql =
        String.format(
            "SELECT count(*), epoch_ms(min(%1$s)), epoch_ms(max(%1$s)) FROM read_parquet(%2$s)",
            DeclaredSchema.EVENT_TIME, Sql.literal(path));
    try (Statement statement = duckdb.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return new Facts(
          result.getLong(1), (Long) result.getObject(2, Long.class), result.getObject(3, Long.class));
    }
  }

  @Override
  public void close() throws SQLException {
    duckdb.close();
  }
}
