package railyard.transforms;

import railyard.model.DeadLetter;
import railyard.model.DeadLetter.Stage;
import railyard.model.RawEvent;

/** Every reason a record can be rejected, with the stage that rejects it and its stable code. */
public enum RejectReason {
  OVERSIZED(Stage.PARSE),
  INVALID_UTF8(Stage.PARSE),
  EMPTY(Stage.PARSE),
  MALFORMED_JSON(Stage.PARSE),
  NOT_AN_OBJECT(Stage.PARSE),
  TOO_DEEP(Stage.PARSE),
  NUMBER_TOO_LONG(Stage.PARSE),
  LONE_SURROGATE(Stage.PARSE),
  WRONG_TYPE(Stage.PARSE),
  MISSING_REQUIRED(Stage.VALIDATE),
  OUT_OF_RANGE(Stage.VALIDATE),
  NOT_ALLOWED(Stage.VALIDATE),
  TOO_LONG(Stage.VALIDATE),
  NO_SCHEMA_VERSION(Stage.VALIDATE),
  EVENT_TIME_SKEW(Stage.TRANSFORM);

  private final Stage stage;

  RejectReason(Stage stage) {
    this.stage = stage;
  }

  public Stage stage() {
    return stage;
  }

  /** The stable code written to dead letters and metrics, e.g. {@code malformed_json}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The dead letter for {@code event}, counted in this reason's metric. */
  public DeadLetter reject(RawEvent event, String message) {
    RailyardMetrics.deadLetters(stage, code()).inc();
    return DeadLetter.of(stage, code(), message, event);
  }
}
