package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The running state of one view window for one key: an event count and, per metric, the count,
 * sum, min and max of its non-null values and the fingerprints of its distinct values. Flat arrays
 * keep it small on the wire, where it travels after combining before the shuffle, and few in
 * memory: a batch run folds rows into hundreds of thousands of them in an order the CPU's caches
 * cannot predict, so each array is one more miss per row.
 */
final class ViewAccumulator {
  private static final int SUM = 0;
  private static final int MIN = 1;
  private static final int MAX = 2;
  private static final int STATS = 3;

  long events;
  private final long[] counts;
  /** Per metric, its sum, min and max, side by side. */
  private final double[] stats;
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

  double sum(int metric) {
    return stats[metric * STATS + SUM];
  }

  double min(int metric) {
    return stats[metric * STATS + MIN];
  }

  double max(int metric) {
    return stats[metric * STATS + MAX];
  }

  void addNumber(int metric, double value) {
    counts[metric]++;
    int at = metric * STATS;
    stats[at + SUM] += value;
    stats[at + MIN] = Math.min(stats[at + MIN], value);
    stats[at + MAX] = Math.max(stats[at + MAX], value);
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
      stats[at + SUM] += other.stats[at + SUM];
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

  /** Encodes the arrays positionally; the metric count comes first. */
  static final class Coder extends CustomCoder<ViewAccumulator> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();
    private static final BigEndianLongCoder FINGERPRINT = BigEndianLongCoder.of();

    @Override
    public void encode(ViewAccumulator acc, OutputStream out) throws IOException {
      int metrics = acc.metrics();
      INT.encode(metrics, out);
      LONG.encode(acc.events, out);
      for (int m = 0; m < metrics; m++) {
        LONG.encode(acc.counts[m], out);
        int at = m * STATS;
        DOUBLE.encode(acc.stats[at + SUM], out);
        DOUBLE.encode(acc.stats[at + MIN], out);
        DOUBLE.encode(acc.stats[at + MAX], out);
        Set<Long> set = acc.distinct(m);
        INT.encode(set == null ? -1 : set.size(), out);
        if (set != null) {
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
        int at = m * STATS;
        acc.stats[at + SUM] = DOUBLE.decode(in);
        acc.stats[at + MIN] = DOUBLE.decode(in);
        acc.stats[at + MAX] = DOUBLE.decode(in);
        int size = INT.decode(in);
        if (size >= 0) {
          Set<Long> set = acc.distinctOf(m);
          for (int i = 0; i < size; i++) {
            set.add(FINGERPRINT.decode(in));
          }
        }
      }
      return acc;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Coder;
    }

    @Override
    public int hashCode() {
      return Coder.class.hashCode();
    }
  }
}
