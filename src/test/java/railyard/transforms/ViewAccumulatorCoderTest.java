package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The accumulator's coder writes only the figures a metric has, and reads them all back. */
@RunWith(JUnit4.class)
public class ViewAccumulatorCoderTest {
  private static final ViewAccumulator.Coder CODER = new ViewAccumulator.Coder();

  private static ViewAccumulator roundTrip(ViewAccumulator acc) throws Exception {
    return CoderUtils.decodeFromByteArray(CODER, CoderUtils.encodeToByteArray(CODER, acc));
  }

  /** Every figure of every metric, as text, so two accumulators compare whole. */
  private static String figures(ViewAccumulator acc) {
    StringBuilder text = new StringBuilder("events=" + acc.events);
    for (int m = 0; m < acc.metrics(); m++) {
      text.append(String.format(
          " [count=%d sum=%s min=%s max=%s distinct=%d]",
          acc.count(m), acc.sum(m), acc.min(m), acc.max(m), acc.distinctCount(m)));
    }
    return text.toString();
  }

  @Test
  public void readsBackTheFiguresOfEveryKindOfMetric() throws Exception {
    ViewAccumulator acc = new ViewAccumulator(5);
    acc.events = 3;
    acc.addToSum(0, 2.5);
    acc.addToSum(0, -1);
    acc.addToMin(1, 7);
    acc.addToMax(2, -4);
    acc.addFingerprint(3, 42L);
    acc.addFingerprint(3, 43L);
    acc.addFingerprint(3, 42L);
    assertThat(figures(roundTrip(acc)), equalTo(figures(acc)));
  }

  @Test
  public void readsBackAnEmptyAccumulator() throws Exception {
    ViewAccumulator empty = new ViewAccumulator(2);
    assertThat(figures(roundTrip(empty)), equalTo(figures(empty)));
  }

  @Test
  public void aCountAndASumOfOneEventTakeAFewBytes() throws Exception {
    ViewAccumulator acc = new ViewAccumulator(2);
    acc.events = 1;
    acc.addToSum(1, 19.99);
    // metrics, events, then per metric its count and flags, and the sum's 8 bytes.
    assertThat(CoderUtils.encodeToByteArray(CODER, acc).length, lessThanOrEqualTo(14));
  }

  @Test
  public void readsBackEveryPartialOfAnExactSum() throws Exception {
    ViewAccumulator acc = new ViewAccumulator(1);
    acc.addToSum(0, 1e100);
    acc.addToSum(0, 1.0);
    acc.addToSum(0, 1e-100);
    ViewAccumulator decoded = roundTrip(acc);
    decoded.addToSum(0, -1e100);
    // Only 1 + 1e-100 is left, which the sum must still hold below its rounding.
    decoded.addToSum(0, -1.0);
    assertThat(decoded.sum(0), equalTo(1e-100));
  }

  @Test
  public void decodedAccumulatorsMergeAsTheOriginalsWould() throws Exception {
    ViewAccumulator left = new ViewAccumulator(1);
    left.addToMin(0, 5);
    ViewAccumulator right = new ViewAccumulator(1);
    right.addToMin(0, 3);
    ViewAccumulator merged = roundTrip(left).mergedWith(roundTrip(right));
    assertThat(merged.min(0), equalTo(3.0));
    assertThat(merged.count(0), equalTo(2L));
  }
}
