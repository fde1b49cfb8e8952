package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
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
 * keep it small on the wire, where it travels after combining before the shuffle.
 */
final class ViewAccumulator {
  long events;
  final long[] counts;
  final double[] sums;
  final double[] mins;
  final double[] maxs;
  final Set<Long>[] distinct;

  @SuppressWarnings("unchecked")
  ViewAccumulator(int metrics) {
    counts = new long[metrics];
    sums = new double[metrics];
    mins = new double[metrics];
    maxs = new double[metrics];
    distinct = new Set[metrics];
    Arrays.fill(mins, Double.POSITIVE_INFINITY);
    Arrays.fill(maxs, Double.NEGATIVE_INFINITY);
  }

  void addNumber(int metric, double value) {
    counts[metric]++;
    sums[metric] += value;
    mins[metric] = Math.min(mins[metric], value);
    maxs[metric] = Math.max(maxs[metric], value);
  }

  void addFingerprint(int metric, long fingerprint) {
    counts[metric]++;
    if (distinct[metric] == null) {
      distinct[metric] = new HashSet<>();
    }
    distinct[metric].add(fingerprint);
  }

  void merge(ViewAccumulator other) {
    events += other.events;
    for (int m = 0; m < counts.length; m++) {
      counts[m] += other.counts[m];
      sums[m] += other.sums[m];
      mins[m] = Math.min(mins[m], other.mins[m]);
      maxs[m] = Math.max(maxs[m], other.maxs[m]);
      if (other.distinct[m] != null) {
        if (distinct[m] == null) {
          distinct[m] = new HashSet<>();
        }
        distinct[m].addAll(other.distinct[m]);
      }
    }
  }

  /** {@link #merge}, for folding: returns this accumulator. */
  ViewAccumulator mergedWith(ViewAccumulator other) {
    merge(other);
    return this;
  }

  int distinctCount(int metric) {
    return distinct[metric] == null ? 0 : distinct[metric].size();
  }

  /** Encodes the arrays positionally; the metric count comes first. */
  static final class Coder extends CustomCoder<ViewAccumulator> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();
    private static final BigEndianLongCoder FINGERPRINT = BigEndianLongCoder.of();

    @Override
    public void encode(ViewAccumulator acc, OutputStream out) throws IOException {
      int metrics = acc.counts.length;
      INT.encode(metrics, out);
      LONG.encode(acc.events, out);
      for (int m = 0; m < metrics; m++) {
        LONG.encode(acc.counts[m], out);
        DOUBLE.encode(acc.sums[m], out);
        DOUBLE.encode(acc.mins[m], out);
        DOUBLE.encode(acc.maxs[m], out);
        Set<Long> set = acc.distinct[m];
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
        acc.sums[m] = DOUBLE.decode(in);
        acc.mins[m] = DOUBLE.decode(in);
        acc.maxs[m] = DOUBLE.decode(in);
        int size = INT.decode(in);
        if (size >= 0) {
          Set<Long> set = new HashSet<>(Math.max(16, size * 2));
          for (int i = 0; i < size; i++) {
            set.add(FINGERPRINT.decode(in));
          }
          acc.distinct[m] = set;
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
