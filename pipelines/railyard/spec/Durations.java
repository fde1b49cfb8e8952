package railyard.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.joda.time.Duration;

/**
 * Spec durations: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 2d}.
 */
public final class Durations {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private static final String[] UNITS = {"d", "h", "m", "s"};
  private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L};

  private Durations() {}

  /** The duration {@code text} spells, or null if it is not one. */
  public static @Nullable Duration parse(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.millis(amount);
      case "s":
        return Duration.standardSeconds(amount);
      case "m":
        return Duration.standardMinutes(amount);
      case "h":
        return Duration.standardHours(amount);
      default:
        return Duration.standardDays(amount);
    }
  }

  /** The shortest spec spelling of {@code duration}, e.g. {@code 5m} or {@code 1500ms}. */
  public static String format(Duration duration) {
    long millis = duration.getMillis();
    if (millis != 0) {
      for (int i = 0; i < UNITS.length; i++) {
        if (millis % UNIT_MILLIS[i] == 0) {
          return millis / UNIT_MILLIS[i] + UNITS[i];
        }
      }
    }
    return millis + "ms";
  }
}
