package railyard.io.generator;

import java.io.Serializable;
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
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final FieldSpec spec;
  private final @Nullable ZipfSampler keys;

  FieldValues(FieldSpec spec) {
    this.spec = spec;
    this.keys = samplerFor(spec);
  }

  FieldSpec spec() {
    return spec;
  }

  /** A valid value for the field; {@code eventTime} anchors timestamp fields. */
  Object next(SplittableRandom rng, long eventTime) {
    return switch (spec.kind()) {
      case STRING -> string(rng);
      case LONG -> keys != null ? (long) lowest() + keys.sample(rng) - 1 : Math.round(number(rng));
      case DOUBLE -> roundedDouble(number(rng));
      case BOOLEAN -> rng.nextBoolean();
      case TIMESTAMP -> isoMillis(eventTime - rng.nextLong(3_600_000L));
    };
  }

  /** Epoch milliseconds as ISO-8601 UTC with millis, e.g. {@code 2026-01-01T00:00:01.234Z}. */
  static String isoMillis(long epochMillis) {
    return ISO_MILLIS.format(java.time.Instant.ofEpochMilli(epochMillis));
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

  private String string(SplittableRandom rng) {
    List<String> allowed = spec.allowed();
    if (!allowed.isEmpty()) {
      return allowed.get((int) (keys.sample(rng) - 1));
    }
    GeneratorHint hint = spec.generate();
    String prefix = hint != null && hint.prefix() != null ? hint.prefix() : "";
    String value = keys != null ? prefix + keys.sample(rng) : prefix + token(rng, 10);
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
