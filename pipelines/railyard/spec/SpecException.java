package railyard.spec;

/**
 * A pipeline spec that cannot be used. The message names the file and the key path, e.g. {@code
 * examples/bad.yaml: views[1].window.size: '5 minutes' is not a duration (use e.g. 30s, 5m, 1h)}.
 */
public class SpecException extends RuntimeException {

  private final String file;
  private final String keyPath;

  public SpecException(String file, String keyPath, String problem) {
    super(file + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + problem);
    this.file = file;
    this.keyPath = keyPath;
  }

  public SpecException(String file, String keyPath, String problem, Throwable cause) {
    this(file, keyPath, problem);
    initCause(cause);
  }

  /** The spec file, as it was named to the loader. */
  public String file() {
    return file;
  }

  /**
   * Where in the spec the problem is, e.g. {@code views[1].window.size}; empty for the whole file.
   */
  public String keyPath() {
    return keyPath;
  }
}
