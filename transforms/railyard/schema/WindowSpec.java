package railyard.schema;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Objects;
import javax.annotation.Nullable;
import org.joda.time.Duration;

/**
 * A view's event-time window.
 *
 * @param size the length of a fixed or sliding window
 * @param period how often a sliding window starts
 * @param gap the inactivity that closes a session
 */
public record WindowSpec(
    Kind kind, @Nullable Duration size, @Nullable Duration period, @Nullable Duration gap)
    implements Serializable {

  /** The window shapes a view may use. */
  public enum Kind {
    FIXED,
    SLIDING,
    SESSION
  }

  public WindowSpec {
    Objects.requireNonNull(kind, "kind");
  }

  public static WindowSpec fixed(Duration size) {
    return new WindowSpec(Kind.FIXED, size, null, null);
  }

  public static WindowSpec sliding(Duration size, Duration period) {
    return new WindowSpec(Kind.SLIDING, size, period, null);
  }

  public static WindowSpec session(Duration gap) {
    return new WindowSpec(Kind.SESSION, null, null, gap);
  }

  /**
   * The span events can be combined over before windows are assigned. Every fixed or sliding
   * slice lies wholly inside each window that contains any of its instants: a fixed window is one
   * slice, a sliding window is made of slices as long as the greatest common divisor of its size
   * and period. A session slice is as long as the gap, so all its events are less than a gap
   * apart and belong to one session.
   */
  public Duration slice() {
    switch (kind) {
      case FIXED:
        return size;
      case SLIDING:
        return Duration.millis(
            BigInteger.valueOf(size.getMillis()).gcd(BigInteger.valueOf(period.getMillis())).longValue());
      default:
        return gap;
    }
  }

  /** Sessions merge: a later, wider session window replaces the ones it grew from. */
  public boolean merging() {
    return kind == Kind.SESSION;
  }
}
