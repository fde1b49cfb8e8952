package railyard.io.sql;

import java.util.List;

/**
 * A query's answer: its columns, its rows (at most the row limit), whether more rows were left
 * out, and how long it took.
 */
public record SqlResult(
    List<String> columns, List<String> types, List<List<Object>> rows, boolean truncated, long millis) {

  public SqlResult {
    columns = List.copyOf(columns);
    types = List.copyOf(types);
    rows = List.copyOf(rows);
  }
}
