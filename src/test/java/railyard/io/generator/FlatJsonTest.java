package railyard.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The generator's own writers give exactly the bytes and text of the Jackson and java.time ones. */
@RunWith(JUnit4.class)
public class FlatJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] AWKWARD = {
    "", "plain", "with \"quotes\"", "back\\slash", "tab\tnew\nline\r", "\u0000\u001f\u007f",
    "caf\u00e9", "\u20ac uro", "\ud83d\ude80 rocket", "lone \ud800 surrogate", "/a/b?c=d&e+f",
    "</script>", "\u2028\u2029"
  };

  @Test
  public void writesWhatJacksonWritesForTheSameMap() throws Exception {
    SplittableRandom rng = new SplittableRandom(11);
    for (int doc = 0; doc < 2_000; doc++) {
      int n = rng.nextInt(8);
      List<String> names = new ArrayList<>();
      Map<String, Object> map = new LinkedHashMap<>();
      Object[] values = new Object[n];
      for (int i = 0; i < n; i++) {
        String name = i % 3 == 0 ? AWKWARD[rng.nextInt(AWKWARD.length)] + i : "f" + i;
        names.add(name);
        values[i] = value(rng);
        map.put(name, values[i]);
      }
      byte[] expected = JSON.writeValueAsBytes(map);
      byte[] actual = new FlatJson(names).write(values);
      assertThat(
          new String(actual, StandardCharsets.UTF_8),
          actual,
          equalTo(expected));
    }
  }

  @Test
  public void isoMillisMatchesTheFormatterInEveryYearItWrites() {
    DateTimeFormatter formatter =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    SplittableRandom rng = new SplittableRandom(3);
    long[] edges = {
      0, -1, 1, 86_399_999, 86_400_000, -86_400_000, 951_782_400_000L, // 2000-02-29
      -62_167_219_200_000L, -62_167_219_200_001L, // 0000-01-01 and the instant before
      253_402_300_799_999L, 253_402_300_800_000L // 9999-12-31T23:59:59.999 and 10000
    };
    List<Long> millis = new ArrayList<>();
    for (long edge : edges) {
      millis.add(edge);
    }
    for (int i = 0; i < 100_000; i++) {
      millis.add(rng.nextLong(-100_000_000_000_000L, 400_000_000_000_000L));
    }
    for (long m : millis) {
      assertThat(
          "at " + m,
          FieldValues.isoMillis(m),
          equalTo(formatter.format(java.time.Instant.ofEpochMilli(m))));
    }
  }

  private static Object value(SplittableRandom rng) {
    switch (rng.nextInt(6)) {
      case 0:
        return AWKWARD[rng.nextInt(AWKWARD.length)];
      case 1:
        long[] longs = {0, -1, 7, Long.MIN_VALUE, Long.MAX_VALUE, -1_000_000_007L};
        return rng.nextBoolean() ? longs[rng.nextInt(longs.length)] : rng.nextLong();
      case 2:
        double[] doubles = {
          0.0, -0.0, 1e-7, 1e21, 12.34, -5.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
          Double.POSITIVE_INFINITY
        };
        return rng.nextBoolean()
            ? doubles[rng.nextInt(doubles.length)]
            : Math.round(rng.nextDouble() * 1e6) / 100.0;
      case 3:
        return rng.nextBoolean();
      case 4:
        return FieldValues.token(rng, rng.nextInt(40));
      default:
        return "user-" + rng.nextInt(100_000);
    }
  }
}
