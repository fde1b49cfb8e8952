package railyard.io.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Lets through exactly one SELECT statement, as DuckDB's own parser reads it: {@code
 * json_serialize_sql} serializes only SELECT statements, so anything else (INSERT, CREATE, COPY,
 * ATTACH, INSTALL, LOAD, SET, PRAGMA, …) or a second statement is refused before it runs.
 */
final class SelectOnly {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SelectOnly() {}

  static void check(Connection duckdb, String sql) throws SQLException {
    try (PreparedStatement parse = duckdb.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
      parse.setString(1, sql);
      try (ResultSet result = parse.executeQuery()) {
        result.next();
        JsonNode parsed = JSON.readTree(result.getString(1));
        if (parsed.path("error").asBoolean(true)) {
          String why = parsed.path("error_message").asText("");
          throw new SqlLimitException(
              why.startsWith("Only SELECT")
                  ? "only a read-only query (one SELECT statement) is allowed"
                  : "the query does not parse: " + why);
        }
        if (parsed.path("statements").size() != 1) {
          throw new SqlLimitException("give exactly one SELECT statement");
        }
      }
    } catch (IOException e) {
      throw new SQLException("cannot read DuckDB's parse of the query", e);
    }
  }
}
