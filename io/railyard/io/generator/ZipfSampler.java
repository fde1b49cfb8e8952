package railyard.io.generator;

import java.io.Serializable;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Draws ranks {@code 1..n} with probability proportional to {@code 1 / rank^skew}.
 *
 * <p>The first {@link #HEAD} ranks are drawn exactly from a cumulative table, built lazily once per
 * instance and searched by bisection; the tail beyond, whose ranks each carry a tiny share, is
 * drawn by inverting the integral of {@code x^-skew}. So a million keys cost at most 8 MiB once,
 * and a billion keys cost no more. Tables are immutable and shared by every sampler of the same
 * cardinality and skew in the JVM.
 */
final class ZipfSampler implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int HEAD = 1 << 20;
  private static final int GUIDE = 1 << 12;

  private final long n;
  private final double skew;
  private static final Map<TableKey, Table> TABLES = new ConcurrentHashMap<>();

  private transient volatile Table table;

  ZipfSampler(long n, double skew) {
    if (n < 1) {
      throw new IllegalArgumentException("Zipf cardinality must be at least 1, got " + n);
    }
    if (!(skew >= 0) || Double.isInfinite(skew)) {
      throw new IllegalArgumentException("Zipf skew must be a finite number >= 0, got " + skew);
    }
    this.n = n;
    this.skew = skew;
  }

  long cardinality() {
    return n;
  }

  /** A rank in {@code [1, n]}; rank 1 is the most frequent. */
  long sample(SplittableRandom rng) {
    if (skew == 0.0) {
      return 1 + rng.nextLong(n);
    }
    Table t = table();
    double u = rng.nextDouble() * (t.headMass + t.tailMass);
    if (u < t.headMass) {
      return 1 + t.firstAbove(u);
    }
    long rank = Math.round(tailInverse(u - t.headMass, t.cumulative.length + 0.5));
    return Math.max(t.cumulative.length + 1L, Math.min(n, rank));
  }

  private Table table() {
    Table t = table;
    if (t == null) {
      // Runners deserialize sources and DoFns often; share the immutable table across copies.
      t = TABLES.computeIfAbsent(new TableKey(n, skew), k -> build());
      table = t;
    }
    return t;
  }

  private Table build() {
    int head = (int) Math.min(n, HEAD);
    double[] cumulative = new double[head];
    double sum = 0;
    for (int k = 1; k <= head; k++) {
      sum += Math.pow(k, -skew);
      cumulative[k - 1] = sum;
    }
    double tail = n > head ? integral(head + 0.5, n + 0.5) : 0.0;
    int[] guide = new int[Math.min(head, GUIDE)];
    for (int b = 0; b < guide.length; b++) {
      guide[b] = bisect(cumulative, b * sum / guide.length);
    }
    return new Table(cumulative, sum, tail, guide);
  }

  /** The integral of {@code x^-skew} from a to b. */
  private double integral(double a, double b) {
    if (Math.abs(skew - 1.0) < 1e-9) {
      return Math.log(b / a);
    }
    double e = 1.0 - skew;
    return (Math.pow(b, e) - Math.pow(a, e)) / e;
  }

  /** The x at which the integral from a reaches mass. */
  private double tailInverse(double mass, double a) {
    if (Math.abs(skew - 1.0) < 1e-9) {
      return a * Math.exp(mass);
    }
    double e = 1.0 - skew;
    return Math.pow(Math.pow(a, e) + mass * e, 1.0 / e);
  }

  /** The first index whose cumulative weight exceeds u (the last if none does), by bisection. */
  private static int bisect(double[] cumulative, double u) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private record TableKey(long n, double skew) {}

  /**
   * The head's cumulative weights, and a guide: for each of {@code guide.length} equal slices of
   * the head's mass, the answer at the slice's start, from which a draw walks the few steps to its
   * own answer (the same index bisection gives, in a fraction of its steps).
   */
  private record Table(double[] cumulative, double headMass, double tailMass, int[] guide) {
    int firstAbove(double u) {
      int slice = (int) Math.min(guide.length - 1L, (long) (u / headMass * guide.length));
      int i = guide[Math.max(0, slice)];
      while (i > 0 && cumulative[i - 1] > u) {
        i--;
      }
      int last = cumulative.length - 1;
      while (i < last && cumulative[i] <= u) {
        i++;
      }
      return i;
    }
  }
}
