package railyard.io.collector;

/** The request body is not one of the accepted framings; the message says where and why. */
final class FramingException extends Exception {
  FramingException(String message) {
    super(message);
  }
}
