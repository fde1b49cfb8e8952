package railyard.io.sql;

import java.time.Duration;

/**
 * How much one query may take: rows returned, wall-clock time and DuckDB working memory.
 *
 * @param maxMemory a DuckDB size such as {@code 256MB}
 */
public record SqlLimits(int maxRows, Duration timeout, String maxMemory) {

  public SqlLimits {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be 1 or more, was " + maxRows);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive, was " + timeout);
    }
    if (!maxMemory.matches("[0-9]+(KB|MB|GB)")) {
      throw new IllegalArgumentException("maxMemory must be like 256MB, was " + maxMemory);
    }
  }

  /** 10,000 rows, 30 seconds, 512 MB: generous for a person at a prompt. */
  public static SqlLimits interactive() {
    return new SqlLimits(10_000, Duration.ofSeconds(30), "512MB");
  }
}
