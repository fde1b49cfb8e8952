package railyard.io.collector;

/** The request body is larger than {@code --maxBodyBytes}. */
final class BodyTooLargeException extends Exception {
  BodyTooLargeException(long limit) {
    super("the body is larger than the limit of " + limit + " bytes");
  }
}
