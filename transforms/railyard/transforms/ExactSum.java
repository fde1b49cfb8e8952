package railyard.transforms;

import java.util.Arrays;

/**
 * A sum of doubles kept exactly, as a short list of doubles whose own sum is the true sum
 * (Shewchuk's non-overlapping partials, as in Python's {@code math.fsum}), and read once, rounded
 * correctly. Every step is exact, so the sum read depends only on which values were added, never on
 * their order or on how partial sums were grouped and merged: batch and streaming, and every
 * runner, give the same bits.
 *
 * <p>{@link ViewAccumulator} keeps the one or two partials of most sums in its flat arrays with
 * {@link #twoSumError} and {@link #round}, and moves a sum here only when it needs more.
 * Infinities and NaN are summed as IEEE arithmetic sums them (and a sum whose partials would pass
 * ±1.8e308 becomes infinite).
 */
final class ExactSum {
  /** Non-overlapping, increasing in magnitude; {@code size} of them are in use. */
  private double[] partials;
  private int size;

  ExactSum(double... partials) {
    this.partials = Arrays.copyOf(partials, Math.max(4, partials.length));
    this.size = partials.length;
  }

  void add(double x) {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      double y = partials[i];
      double sum = x + y;
      double error = twoSumError(x, y, sum);
      if (error != 0) {
        partials[kept++] = error;
      }
      x = sum;
    }
    if (!Double.isFinite(x)) {
      // The sum of every partial so far is finite, so x is +-Infinity (or NaN) from here on.
      kept = 0;
    }
    if (kept == partials.length) {
      partials = Arrays.copyOf(partials, partials.length * 2);
    }
    partials[kept++] = x;
    size = kept;
  }

  void addAll(ExactSum other) {
    for (int i = 0; i < other.size; i++) {
      add(other.partials[i]);
    }
  }

  int size() {
    return size;
  }

  double partial(int i) {
    return partials[i];
  }

  /** The sum, rounded once to the nearest double (ties to even). */
  double value() {
    return round(partials, size);
  }

  /**
   * The error of {@code sum = a + b} as rounded: {@code a + b == sum + error} exactly, for any
   * finite {@code a} and {@code b} whose sum does not overflow (Knuth's TwoSum).
   */
  static double twoSumError(double a, double b, double sum) {
    double bVirtual = sum - a;
    double aVirtual = sum - bVirtual;
    return (a - aVirtual) + (b - bVirtual);
  }

  /**
   * The sum of the first {@code size} of non-overlapping {@code partials} (increasing in
   * magnitude), rounded once: from the largest down until the rest no longer changes the sum,
   * then a tie broken by the sign of what lies below it.
   */
  static double round(double[] partials, int size) {
    if (size == 0) {
      return 0.0;
    }
    int n = size - 1;
    double hi = partials[n];
    double lo = 0;
    while (n > 0) {
      double x = hi;
      double y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo != 0) {
        break;
      }
    }
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      double twice = lo * 2;
      double x = hi + twice;
      if (twice == x - hi) {
        hi = x;
      }
    }
    return hi;
  }
}
