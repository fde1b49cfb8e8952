package railyard.io.catalog;

/** Quoting for the few SQL texts built from names and paths (never from user values). */
public final class Sql {
  private Sql() {}

  /** {@code text} as an SQL string literal. */
  public static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** {@code name} as a quoted SQL identifier. */
  public static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
