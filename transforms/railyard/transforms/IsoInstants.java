package railyard.transforms;

import java.nio.CharBuffer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Epoch milliseconds of an ISO-8601 instant. The form producers write almost always, {@code
 * 2026-01-01T00:08:10.383Z} (UTC, optional fraction), is read directly; anything else goes
 * through {@link java.time.Instant#parse}, which accepts and rejects exactly as before. The direct
 * path exists because {@code Instant.parse} was the largest single cost of parsing an event.
 */
public final class IsoInstants {
  private IsoInstants() {}

  public static long parseMillis(String text) throws DateTimeParseException {
    long millis = utcMillisOrMinusOne(text);
    return millis >= 0 ? millis : java.time.Instant.parse(text).toEpochMilli();
  }

  /**
   * The same for {@code length} characters at {@code offset}, such as a JSON parser's text buffer,
   * without making a string; surrounding whitespace is ignored.
   */
  public static long parseMillis(char[] chars, int offset, int length)
      throws DateTimeParseException {
    long millis = utcMillisOrMinusOne(CharBuffer.wrap(chars, offset, length));
    return millis >= 0
        ? millis
        : java.time.Instant.parse(new String(chars, offset, length).trim()).toEpochMilli();
  }

  /** -1 when {@code text} is not {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} at or after 1970. */
  private static long utcMillisOrMinusOne(CharSequence text) {
    int n = text.length();
    if (n < 20 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return -1;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 1970 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return -1;
    }
    int millis = 0;
    if (n > 20) {
      int fractionDigits = n - 21;
      if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9
          || digits(text, 20, fractionDigits) < 0) {
        return -1;
      }
      millis = digits(text, 20, Math.min(3, fractionDigits));
      for (int d = fractionDigits; d < 3; d++) {
        millis *= 10;
      }
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return -1;
    }
    return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  /** The decimal value of {@code length} ASCII digits at {@code from}, or -1. */
  private static int digits(CharSequence text, int from, int length) {
    int value = 0;
    for (int i = from; i < from + length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
