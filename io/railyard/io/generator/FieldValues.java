package railyard.io.generator;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import javax.annotation.Nullable;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;
import railyard.schema.GeneratorHint;

/**
 * Draws one declared field's values as its {@link FieldSpec} and {@link GeneratorHint} describe:
 * strings from the allowed list or from a Zipf-skewed key space, numbers inside the declared range
 * (log-normal around the hinted mean), booleans, timestamps.
 */
final class FieldValues implements Serializable {
  private static final long serialVersionUID = 1L;

  static final double DEFAULT_SKEW = 1.0;
  private static final double DEFAULT_MIN = 0.0;
  private static final double DEFAULT_SPAN = 1000.0;
  private static final double LOG_NORMAL_SIGMA = 0.6;
  private static final String TOKEN_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  /** Key strings kept per field: the head of a skewed key space, where most draws land. */
  private static final int CACHED_KEYS = 4096;
  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final FieldSpec spec;
  private final @Nullable ZipfSampler keys;
  private transient @Nullable FlatJson.Text[] keyCache;
  private transient @Nullable FlatJson.Text[] allowedTexts;

  FieldValues(FieldSpec spec) {
    this.spec = spec;
    this.keys = samplerFor(spec);
  }

  FieldSpec spec() {
    return spec;
  }

  /**
   * A valid value for the field; {@code eventTime} anchors timestamp fields. Strings may come as
   * {@link FlatJson.Text} (see {@link FlatJson#plain}).
   */
  Object next(SplittableRandom rng, long eventTime) {
    return switch (spec.kind()) {
      case STRING -> string(rng);
      case LONG -> keys != null ? (long) lowest() + keys.sample(rng) - 1 : Math.round(number(rng));
      case DOUBLE -> roundedDouble(number(rng));
      case BOOLEAN -> rng.nextBoolean();
      case TIMESTAMP -> isoMillis(eventTime - rng.nextLong(3_600_000L));
    };
  }

  /**
   * Epoch milliseconds as ISO-8601 UTC with millis, e.g. {@code 2026-01-01T00:00:01.234Z}: what
   * {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} formats, written directly for years 0 to 9999 (a
   * formatter costs more than the rest of an event's fields together).
   */
  static String isoMillis(long epochMillis) {
    long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    LocalDate date = LocalDate.ofEpochDay(day);
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      // The pattern signs and widens such years; leave them to the formatter.
      return ISO_MILLIS.format(java.time.Instant.ofEpochMilli(epochMillis));
    }
    int ms = (int) (epochMillis - day * MILLIS_PER_DAY);
    byte[] c = new byte[24];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, ms / 3_600_000, 2);
    c[13] = ':';
    digits(c, 14, ms / 60_000 % 60, 2);
    c[16] = ':';
    digits(c, 17, ms / 1000 % 60, 2);
    c[19] = '.';
    digits(c, 20, ms % 1000, 3);
    c[23] = 'Z';
    return new String(c, StandardCharsets.US_ASCII);
  }

  /** {@code value} in decimal, zero-padded to {@code width} digits, at {@code at}. */
  private static void digits(byte[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  double lowest() {
    return spec.min() != null ? spec.min() : DEFAULT_MIN;
  }

  double highest() {
    if (spec.max() != null) {
      return spec.max();
    }
    return lowest() + DEFAULT_SPAN;
  }

  private Object string(SplittableRandom rng) {
    List<String> allowed = spec.allowed();
    if (!allowed.isEmpty()) {
      return allowedTexts()[(int) (keys.sample(rng) - 1)];
    }
    if (keys != null) {
      return key(keys.sample(rng));
    }
    return bounded(prefix() + token(rng, 10));
  }

  /**
   * The value of key {@code rank}: the hottest ranks' strings are made once and kept with their
   * JSON ({@link FlatJson.Text}), the rest made anew.
   */
  private Object key(long rank) {
    if (rank > CACHED_KEYS) {
      return bounded(prefix() + rank);
    }
    FlatJson.Text[] cache = keyCache;
    if (cache == null) {
      cache = new FlatJson.Text[(int) Math.min(CACHED_KEYS, keys.cardinality())];
      keyCache = cache;
    }
    FlatJson.Text value = cache[(int) rank - 1];
    if (value == null) {
      // Texts are immutable, so a racing thread at worst makes the same one again.
      value = FlatJson.Text.of(bounded(prefix() + rank));
      cache[(int) rank - 1] = value;
    }
    return value;
  }

  private FlatJson.Text[] allowedTexts() {
    FlatJson.Text[] texts = allowedTexts;
    if (texts == null) {
      texts = spec.allowed().stream().map(FlatJson.Text::of).toArray(FlatJson.Text[]::new);
      allowedTexts = texts;
    }
    return texts;
  }

  private String prefix() {
    GeneratorHint hint = spec.generate();
    return hint != null && hint.prefix() != null ? hint.prefix() : "";
  }

  private String bounded(String value) {
    Integer maxLength = spec.maxLength();
    return maxLength != null && value.length() > maxLength ? value.substring(0, maxLength) : value;
  }

  private double number(SplittableRandom rng) {
    double lo = lowest();
    double hi = Math.max(lo, highest());
    GeneratorHint hint = spec.generate();
    Double mean = hint == null ? null : hint.mean();
    double v;
    if (mean == null) {
      v = lo + rng.nextDouble() * (hi - lo);
    } else if (mean > 0) {
      // E[mean * exp(sigma*Z - sigma^2/2)] = mean
      double z = gaussian(rng);
      v = mean * Math.exp(LOG_NORMAL_SIGMA * z - LOG_NORMAL_SIGMA * LOG_NORMAL_SIGMA / 2);
    } else {
      v = mean + gaussian(rng) * Math.max(1.0, (hi - lo) / 6);
    }
    return Math.max(lo, Math.min(hi, v));
  }

  private double roundedDouble(double v) {
    double rounded = Math.round(v * 100.0) / 100.0;
    return Math.max(lowest(), Math.min(Math.max(lowest(), highest()), rounded));
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller on two draws of this index's own stream.
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  static String token(SplittableRandom rng, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = TOKEN_ALPHABET.charAt(rng.nextInt(TOKEN_ALPHABET.length()));
    }
    return new String(chars);
  }

  private static @Nullable ZipfSampler samplerFor(FieldSpec spec) {
    GeneratorHint hint = spec.generate();
    double skew = hint != null && hint.skew() != null ? hint.skew() : DEFAULT_SKEW;
    if (spec.kind() == FieldKind.STRING && !spec.allowed().isEmpty()) {
      return new ZipfSampler(spec.allowed().size(), skew);
    }
    boolean keyed = spec.kind() == FieldKind.STRING || spec.kind() == FieldKind.LONG;
    if (keyed && hint != null && hint.cardinality() != null) {
      return new ZipfSampler(hint.cardinality(), skew);
    }
    return null;
  }
}
