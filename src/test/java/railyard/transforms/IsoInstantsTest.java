package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The direct path must agree with {@code java.time.Instant.parse} on everything it accepts. */
@RunWith(JUnit4.class)
public class IsoInstantsTest {

  private static long javaTime(String text) {
    return java.time.Instant.parse(text).toEpochMilli();
  }

  @Test
  public void agreesWithJavaTimeOnRandomInstantsAtEveryFractionLength() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      long nanos = random.nextLong(0, 4_102_444_800_000_000_000L);
      String full = java.time.Instant.ofEpochSecond(0, nanos).toString();
      String text = full.substring(0, full.length() - 1);
      int dot = text.indexOf('.');
      String base = dot < 0 ? text : text.substring(0, dot);
      String fraction = dot < 0 ? "" : text.substring(dot + 1);
      int digits = random.nextInt(0, Math.max(1, fraction.length()) + 1);
      String sample = base + (digits == 0 || fraction.isEmpty() ? "" : "." + fraction.substring(0, Math.min(digits, fraction.length()))) + "Z";
      assertThat(sample, IsoInstants.parseMillis(sample), is(javaTime(sample)));
    }
  }

  @Test
  public void readsACharacterBufferWithoutItsSurroundingWhitespace() {
    char[] buffer = "xx 2026-03-01T10:00:00.250Z yy".toCharArray();
    assertThat(IsoInstants.parseMillis(buffer, 3, 24), is(javaTime("2026-03-01T10:00:00.250Z")));
    assertThat(IsoInstants.parseMillis(buffer, 2, 26), is(javaTime("2026-03-01T10:00:00.250Z")));
  }

  @Test
  public void readsLeapDaysAndTheLastMillisecondOfAYear() {
    for (String text :
        new String[] {"2024-02-29T12:00:00Z", "2025-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z"}) {
      assertThat(text, IsoInstants.parseMillis(text), is(javaTime(text)));
    }
  }

  @Test
  public void leavesOffsetsAndEarlyYearsToJavaTime() {
    for (String text : new String[] {"2026-01-01T01:00:00+01:00", "1969-12-31T23:59:59.5Z"}) {
      assertThat(text, IsoInstants.parseMillis(text), is(javaTime(text)));
    }
  }

  @Test
  public void rejectsWhatJavaTimeRejects() {
    for (String text :
        new String[] {"2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00.1234567890Z",
          "2026-1-01T00:00:00Z", "2026-01-01 00:00:00Z", "yesterday"}) {
      assertThrows(text, DateTimeParseException.class, () -> IsoInstants.parseMillis(text));
    }
  }
}
