package railyard.io.serving;

/** A serving store could not be opened, written or read. */
public class ServingStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServingStoreException(String message) {
    super(message);
  }

  public ServingStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
