package railyard.io.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import railyard.io.catalog.FileCatalog;
import railyard.io.sql.SqlLimitException;
import railyard.io.sql.SqlLimits;
import railyard.io.sql.SqlResult;
import railyard.io.sql.WarehouseSql;

/**
 * {@code GET /v1/sql?q=SELECT …&limit=N}: one read-only query over the catalogued warehouse
 * tables, each in a fresh, locked-down DuckDB session ({@link WarehouseSql#openReadOnly}), with
 * limits on rows, time, memory and how many run at once.
 */
final class SqlApi {
  static final int MAX_QUERY_LENGTH = 4_096;
  static final int DEFAULT_ROWS = 1_000;
  static final int MAX_ROWS = 10_000;
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final String MAX_MEMORY = "256MB";
  static final int CONCURRENT_QUERIES = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileCatalog catalog;
  private final Duration timeout;
  private final Semaphore running = new Semaphore(CONCURRENT_QUERIES);

  SqlApi(FileCatalog catalog, Duration timeout) {
    this.catalog = catalog;
    this.timeout = timeout;
  }

  ObjectNode answer(Map<String, List<String>> parameters) {
    Parameters given = Parameters.of(parameters, Set.of("q", "limit"), MAX_QUERY_LENGTH);
    String query = given.required("q");
    int limit = given.intBetween("limit", 1, MAX_ROWS, DEFAULT_ROWS);
    if (!acquire()) {
      throw new ApiException(503, "Too many SQL queries are running; try again shortly");
    }
    try (WarehouseSql sql =
        WarehouseSql.openReadOnly(catalog, new SqlLimits(limit, timeout, MAX_MEMORY))) {
      return document(sql.query(query));
    } catch (SqlLimitException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (SQLException e) {
      throw ApiException.badRequest("The query failed: " + firstLine(e.getMessage()));
    } finally {
      running.release();
    }
  }

  private boolean acquire() {
    try {
      return running.tryAcquire(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static ObjectNode document(SqlResult result) {
    ObjectNode document = JSON.createObjectNode();
    ArrayNode columns = document.putArray("columns");
    for (int i = 0; i < result.columns().size(); i++) {
      columns.addObject().put("name", result.columns().get(i)).put("type", result.types().get(i));
    }
    ArrayNode rows = document.putArray("rows");
    for (List<Object> row : result.rows()) {
      rows.add(JSON.valueToTree(row));
    }
    document.put("truncated", result.truncated());
    document.put("elapsedMs", result.millis());
    return document;
  }

  private static String firstLine(String message) {
    String line = message == null ? "" : message.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
