package railyard.io.sql;

/** A query refused or stopped by the SQL guard: not read-only, or over its time limit. */
public final class SqlLimitException extends RuntimeException {
  public SqlLimitException(String message) {
    super(message);
  }
}
