package railyard.transforms;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The running state of one view window for one key: an event count and, per metric, the count
 * of its non-null values and what its op reads of them: their sum, min or max, or the fingerprints
 * of the distinct ones. A sum is exact ({@link ExactSum}): one or two partials here, more there,
 * rounded once when read, so it is the same however the values were grouped and merged. Flat arrays keep it few in memory, where a batch run folds rows into
 * hundreds of thousands of them in an order the CPU's caches cannot predict (each array is one
 * more miss per row), and the coder writes only the figures a metric has, so a slice on the wire
 * is a few bytes a metric: with a million keys most slices hold one event each, and the slices
 * are most of what a batch run shuffles.
 */
final class ViewAccumulator {
  private static final int SUM = 0;
  private static final int SUM_LOW = 1;
  private static final int MIN = 2;
  private static final int MAX = 3;
  private static final int STATS = 4;

  long events;
  private final long[] counts;
  /**
   * Per metric, side by side: its sum as two non-overlapping partials (the larger, then the
   * smaller: their exact sum is the true sum), its min and its max.
   */
  private final double[] stats;
  /** Per metric, a sum that needs more than two partials; null until one does. */
  private ExactSum[] longSums;
  /** Per metric, its distinct fingerprints; null until a metric has one. */
  private Set<Long>[] distinct;

  ViewAccumulator(int metrics) {
    counts = new long[metrics];
    stats = new double[metrics * STATS];
    for (int m = 0; m < metrics; m++) {
      stats[m * STATS + MIN] = Double.POSITIVE_INFINITY;
      stats[m * STATS + MAX] = Double.NEGATIVE_INFINITY;
    }
  }

  int metrics() {
    return counts.length;
  }

  long count(int metric) {
    return counts[metric];
  }

  /** The exact sum, rounded once to the nearest double. */
  double sum(int metric) {
    ExactSum longSum = longSum(metric);
    if (longSum != null) {
      return longSum.value();
    }
    int at = metric * STATS;
    return stats[at + SUM] + stats[at + SUM_LOW];
  }

  double min(int metric) {
    return stats[metric * STATS + MIN];
  }

  double max(int metric) {
    return stats[metric * STATS + MAX];
  }

  /** A value of a metric whose op reads its sum (sum, mean). */
  void addToSum(int metric, double value) {
    counts[metric]++;
    addExactly(metric, value);
  }

  /** One step of {@link ExactSum#add} on the two partials kept here, moving there if it needs more. */
  private void addExactly(int metric, double x) {
    ExactSum longSum = longSum(metric);
    if (longSum != null) {
      longSum.add(x);
      return;
    }
    int at = metric * STATS;
    double low = stats[at + SUM_LOW];
    double high = stats[at + SUM];
    double partial = x + low;
    double lowError = ExactSum.twoSumError(x, low, partial);
    double sum = partial + high;
    if (!Double.isFinite(sum)) {
      stats[at + SUM] = sum; // an infinity or NaN among the values, or past the largest double
      stats[at + SUM_LOW] = 0;
      return;
    }
    double highError = ExactSum.twoSumError(partial, high, sum);
    if (lowError != 0 && highError != 0) {
      longSumsOf()[metric] = new ExactSum(lowError, highError, sum);
      stats[at + SUM] = 0;
      stats[at + SUM_LOW] = 0;
      return;
    }
    stats[at + SUM] = sum;
    stats[at + SUM_LOW] = lowError != 0 ? lowError : highError;
  }

  /** A value of a metric whose op reads its minimum. */
  void addToMin(int metric, double value) {
    counts[metric]++;
    int at = metric * STATS + MIN;
    stats[at] = Math.min(stats[at], value);
  }

  /** A value of a metric whose op reads its maximum. */
  void addToMax(int metric, double value) {
    counts[metric]++;
    int at = metric * STATS + MAX;
    stats[at] = Math.max(stats[at], value);
  }

  void addFingerprint(int metric, long fingerprint) {
    counts[metric]++;
    distinctOf(metric).add(fingerprint);
  }

  void merge(ViewAccumulator other) {
    events += other.events;
    for (int m = 0; m < counts.length; m++) {
      counts[m] += other.counts[m];
      int at = m * STATS;
      ExactSum theirSum = other.longSum(m);
      if (theirSum != null) {
        for (int i = 0; i < theirSum.size(); i++) {
          addExactly(m, theirSum.partial(i));
        }
      } else {
        if (other.stats[at + SUM_LOW] != 0) {
          addExactly(m, other.stats[at + SUM_LOW]);
        }
        if (other.stats[at + SUM] != 0) {
          addExactly(m, other.stats[at + SUM]);
        }
      }
      stats[at + MIN] = Math.min(stats[at + MIN], other.stats[at + MIN]);
      stats[at + MAX] = Math.max(stats[at + MAX], other.stats[at + MAX]);
      Set<Long> theirs = other.distinct(m);
      if (theirs != null) {
        distinctOf(m).addAll(theirs);
      }
    }
  }

  /** {@link #merge}, for folding: returns this accumulator. */
  ViewAccumulator mergedWith(ViewAccumulator other) {
    merge(other);
    return this;
  }

  int distinctCount(int metric) {
    Set<Long> set = distinct(metric);
    return set == null ? 0 : set.size();
  }

  private ExactSum longSum(int metric) {
    return longSums == null ? null : longSums[metric];
  }

  private ExactSum[] longSumsOf() {
    if (longSums == null) {
      longSums = new ExactSum[counts.length];
    }
    return longSums;
  }

  private Set<Long> distinct(int metric) {
    return distinct == null ? null : distinct[metric];
  }

  @SuppressWarnings("unchecked")
  private Set<Long> distinctOf(int metric) {
    if (distinct == null) {
      distinct = new Set[counts.length];
    }
    if (distinct[metric] == null) {
      distinct[metric] = new HashSet<>();
    }
    return distinct[metric];
  }

  /**
   * The metric count first, then per metric its count, which figures follow, and those: a sum as
   * its partials, exactly, so a decoded accumulator goes on summing exactly.
   */
  static final class Coder extends SettingsFreeCoder<ViewAccumulator> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();
    private static final BigEndianLongCoder FINGERPRINT = BigEndianLongCoder.of();

    private static final int HAS_SUM = 1;
    private static final int HAS_MIN = 2;
    private static final int HAS_MAX = 4;
    private static final int HAS_DISTINCT = 8;
    private static final int HAS_SUM_LOW = 16;
    private static final int HAS_LONG_SUM = 32;

    @Override
    public void encode(ViewAccumulator acc, OutputStream out) throws IOException {
      int metrics = acc.metrics();
      INT.encode(metrics, out);
      LONG.encode(acc.events, out);
      for (int m = 0; m < metrics; m++) {
        LONG.encode(acc.counts[m], out);
        Set<Long> set = acc.distinct(m);
        ExactSum longSum = acc.longSum(m);
        int at = m * STATS;
        int has =
            (acc.stats[at + SUM] != 0 ? HAS_SUM : 0)
                | (acc.stats[at + SUM_LOW] != 0 ? HAS_SUM_LOW : 0)
                | (longSum != null ? HAS_LONG_SUM : 0)
                | (acc.stats[at + MIN] != Double.POSITIVE_INFINITY ? HAS_MIN : 0)
                | (acc.stats[at + MAX] != Double.NEGATIVE_INFINITY ? HAS_MAX : 0)
                | (set != null ? HAS_DISTINCT : 0);
        out.write(has);
        if ((has & HAS_SUM) != 0) {
          DOUBLE.encode(acc.stats[at + SUM], out);
        }
        if ((has & HAS_SUM_LOW) != 0) {
          DOUBLE.encode(acc.stats[at + SUM_LOW], out);
        }
        if (longSum != null) {
          INT.encode(longSum.size(), out);
          for (int i = 0; i < longSum.size(); i++) {
            DOUBLE.encode(longSum.partial(i), out);
          }
        }
        if ((has & HAS_MIN) != 0) {
          DOUBLE.encode(acc.stats[at + MIN], out);
        }
        if ((has & HAS_MAX) != 0) {
          DOUBLE.encode(acc.stats[at + MAX], out);
        }
        if (set != null) {
          INT.encode(set.size(), out);
          for (long fingerprint : set) {
            FINGERPRINT.encode(fingerprint, out);
          }
        }
      }
    }

    @Override
    public ViewAccumulator decode(InputStream in) throws IOException {
      int metrics = INT.decode(in);
      ViewAccumulator acc = new ViewAccumulator(metrics);
      acc.events = LONG.decode(in);
      for (int m = 0; m < metrics; m++) {
        acc.counts[m] = LONG.decode(in);
        int has = in.read();
        if (has < 0) {
          throw new EOFException("a view accumulator ends inside metric " + m);
        }
        int at = m * STATS;
        if ((has & HAS_SUM) != 0) {
          acc.stats[at + SUM] = DOUBLE.decode(in);
        }
        if ((has & HAS_SUM_LOW) != 0) {
          acc.stats[at + SUM_LOW] = DOUBLE.decode(in);
        }
        if ((has & HAS_LONG_SUM) != 0) {
          double[] partials = new double[INT.decode(in)];
          for (int i = 0; i < partials.length; i++) {
            partials[i] = DOUBLE.decode(in);
          }
          acc.longSumsOf()[m] = new ExactSum(partials);
        }
        if ((has & HAS_MIN) != 0) {
          acc.stats[at + MIN] = DOUBLE.decode(in);
        }
        if ((has & HAS_MAX) != 0) {
          acc.stats[at + MAX] = DOUBLE.decode(in);
        }
        if ((has & HAS_DISTINCT) != 0) {
          int size = INT.decode(in);
          Set<Long> set = acc.distinctOf(m);
          for (int i = 0; i < size; i++) {
            set.add(FINGERPRINT.decode(in));
          }
        }
      }
      return acc;
    }
  }
}
