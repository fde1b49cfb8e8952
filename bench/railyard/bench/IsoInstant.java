package railyard.bench;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads {@code yyyy-MM-ddTHH:mm:ss.SSSZ} and {@code yyyy-MM-ddTHH:mm:ssZ} to epoch millis, the
 * forms events carry; anything else (other precision, an offset, spaces, a leap second, a bad
 * date) is {@link #UNUSUAL}, left to {@link Instant#parse}.
 */
final class IsoInstant {
  static final long UNUSUAL = Long.MIN_VALUE;

  private IsoInstant() {}

  static long parse(char[] c, int at, int length) {
    if ((length != 24 && length != 20)
        || c[at + 4] != '-' || c[at + 7] != '-' || c[at + 10] != 'T'
        || c[at + 13] != ':' || c[at + 16] != ':' || c[at + length - 1] != 'Z'
        || (length == 24 && c[at + 19] != '.')) {
      return UNUSUAL;
    }
    int year = digits(c, at, 4);
    int month = digits(c, at + 5, 2);
    int day = digits(c, at + 8, 2);
    int hour = digits(c, at + 11, 2);
    int minute = digits(c, at + 14, 2);
    int second = digits(c, at + 17, 2);
    int millis = length == 24 ? digits(c, at + 20, 3) : 0;
    if ((year | month | day | hour | minute | second | millis) < 0
        || hour > 23 || minute > 59 || second > 59) {
      return UNUSUAL;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return UNUSUAL;
    }
    return epochDay * 86_400_000L + hour * 3_600_000L + minute * 60_000L + second * 1000L
        + millis;
  }

  /** The decimal number in c[at, at + count), or -1 if a character is not a digit. */
  private static int digits(char[] c, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }
}
