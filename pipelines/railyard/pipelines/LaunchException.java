package railyard.pipelines;

/**
 * A job that cannot start: an option, the spec, or an output it cannot reach or write. Its message
 * is one line that says what to fix, printed as it is with exit code 2.
 */
public final class LaunchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LaunchException(Throwable cause) {
    super(oneLine(cause), cause);
  }

  /**
   * {@code e}'s message on one line, followed by its causes' where they add something, e.g. {@code
   * cannot write the catalog entry /w/_catalog/t/schema-v1.json: /w/_catalog: Not a directory}.
   */
  static String oneLine(Throwable e) {
    StringBuilder line = new StringBuilder(describe(e));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      String more = describe(cause);
      if (!line.toString().contains(more)) {
        line.append(": ").append(more);
      }
    }
    return line.toString().replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
  }
}
