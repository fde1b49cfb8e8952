package railyard.transforms;

/** Thrown inside a stage to reject one record; caught by the stage and turned into a dead letter. */
final class Rejection extends Exception {
  private final RejectReason reason;

  Rejection(RejectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  RejectReason reason() {
    return reason;
  }
}
