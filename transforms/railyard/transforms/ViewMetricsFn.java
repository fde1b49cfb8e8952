package railyard.transforms;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.HashFunction;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
import org.joda.time.ReadableInstant;
import railyard.schema.MetricSpec;

/**
 * Computes a view's metrics over rows. Sums, minima, maxima and means ignore missing values, as SQL
 * does; a sum is the true sum rounded once, the same in any order (see {@link ExactSum}); the minimum or maximum of a timestamp is its epoch milliseconds (the newest event time of a
 * window, for example). Distinct counts are exact over 64-bit FarmHash fingerprints of the values: two different
 * values collide with probability about n²/2⁶⁵ (under 10⁻⁷ for a million distinct values).
 */
final class ViewMetricsFn extends CombineFn<Row, ViewAccumulator, ViewResult> {
  private static final HashFunction FINGERPRINT = Hashing.farmHashFingerprint64();

  private final MetricSpec.Op[] ops;
  private final int[] fieldIndexes;

  ViewMetricsFn(List<MetricSpec> metrics, Schema schema) {
    ops = new MetricSpec.Op[metrics.size()];
    fieldIndexes = new int[metrics.size()];
    for (int m = 0; m < ops.length; m++) {
      MetricSpec metric = metrics.get(m);
      ops[m] = metric.op();
      fieldIndexes[m] = metric.field() == null ? -1 : schema.indexOf(metric.field());
    }
  }

  @Override
  public ViewAccumulator createAccumulator() {
    return new ViewAccumulator(ops.length);
  }

  @Override
  public ViewAccumulator addInput(ViewAccumulator acc, Row row) {
    acc.events++;
    for (int m = 0; m < ops.length; m++) {
      if (ops[m] == MetricSpec.Op.COUNT) {
        continue;
      }
      Object value = row.getValue(fieldIndexes[m]);
      if (value == null) {
        continue;
      }
      switch (ops[m]) {
        case SUM, MEAN -> acc.addToSum(m, number(value));
        case MIN -> acc.addToMin(m, number(value));
        case MAX -> acc.addToMax(m, number(value));
        case DISTINCT -> acc.addFingerprint(m, fingerprint(value));
        case COUNT -> {}
      }
    }
    return acc;
  }

  @Override
  public ViewAccumulator mergeAccumulators(Iterable<ViewAccumulator> accumulators) {
    ViewAccumulator merged = null;
    for (ViewAccumulator acc : accumulators) {
      if (merged == null) {
        merged = acc;
      } else {
        merged.merge(acc);
      }
    }
    return merged == null ? createAccumulator() : merged;
  }

  @Override
  public ViewResult extractOutput(ViewAccumulator acc) {
    double[] values = new double[ops.length];
    for (int m = 0; m < ops.length; m++) {
      values[m] = value(acc, m);
    }
    return new ViewResult(acc.events, values);
  }

  private double value(ViewAccumulator acc, int m) {
    boolean empty = acc.count(m) == 0;
    switch (ops[m]) {
      case COUNT:
        return acc.events;
      case SUM:
        return acc.sum(m);
      case MIN:
        return empty ? Double.NaN : acc.min(m);
      case MAX:
        return empty ? Double.NaN : acc.max(m);
      case MEAN:
        return empty ? Double.NaN : acc.sum(m) / acc.count(m);
      case DISTINCT:
        return acc.distinctCount(m);
      default:
        throw new IllegalStateException("unknown metric " + ops[m]);
    }
  }

  /** A timestamp counts as its epoch milliseconds, exact in a double for any realistic date. */
  private static double number(Object value) {
    return value instanceof ReadableInstant instant
        ? instant.getMillis()
        : ((Number) value).doubleValue();
  }

  private static long fingerprint(Object value) {
    return FINGERPRINT.hashString(value.toString(), StandardCharsets.UTF_8).asLong();
  }

  @Override
  public Coder<ViewAccumulator> getAccumulatorCoder(CoderRegistry registry, Coder<Row> input)
      throws CannotProvideCoderException {
    return new ViewAccumulator.Coder();
  }

  @Override
  public Coder<ViewResult> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> input) {
    return new ViewResult.Coder();
  }
}
