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
   * The span that fixed and sliding windows are cut into: every slice lies wholly inside each
   * window that contains its start. A fixed window is one slice; a sliding window is made of
   * slices as long as the greatest common divisor of its size and period. Sessions have none.
   */
  public @Nullable Duration slice() {
    switch (kind) {
      case FIXED:
        return size;
      case SLIDING:
        return Duration.millis(
            BigInteger.valueOf(size.getMillis()).gcd(BigInteger.valueOf(period.getMillis())).longValue());
      default:
        return null;
    }
  }

  /** Sessions merge: a later, wider session window replaces the ones it grew from. */
  public boolean merging() {
    return kind == Kind.SESSION;
  }
}
