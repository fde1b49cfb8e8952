package railyard.transforms;

import java.io.Serializable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;

/** An event's time must lie within the allowed skew of its receipt, either way. */
final class SkewCheck implements Serializable {
  private final Duration allowedSkew;

  SkewCheck(Duration allowedSkew) {
    this.allowedSkew = allowedSkew;
  }

  Duration allowedSkew() {
    return allowedSkew;
  }

  /** The row's event time, or a rejection naming how far it lies from the receipt. */
  Instant eventTime(org.apache.beam.sdk.values.Row row, RawEvent raw) throws Rejection {
    Instant eventTime = row.getDateTime(DeclaredSchema.EVENT_TIME).toInstant();
    long skew = eventTime.getMillis() - raw.receivedAt();
    if (Math.abs(skew) > allowedSkew.getMillis()) {
      throw new Rejection(
          RejectReason.EVENT_TIME_SKEW,
          "event time " + eventTime + " is " + Duration.millis(Math.abs(skew))
              + (skew < 0 ? " before" : " after") + " its receipt; the limit is " + allowedSkew);
    }
    return eventTime;
  }
}
