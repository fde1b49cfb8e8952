package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * A view's sum is the exact sum of its values rounded once, so the same values give the same bits
 * in any order and however partial sums are merged: as a batch run folds them, as a streaming run
 * does, and as each runner groups them.
 */
@RunWith(JUnit4.class)
public class ViewAccumulatorSumTest {
  private static final ViewAccumulator.Coder CODER = new ViewAccumulator.Coder();

  /** Prices in cents, as a shop's events carry them. */
  private static List<Double> prices(long seed, int count) {
    Random random = new Random(seed);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(random.nextInt(100_000) / 100.0);
    }
    return values;
  }

  /** Values over forty orders of magnitude, both signs: sums that need more than two partials. */
  private static List<Double> wideValues(long seed, int count) {
    Random random = new Random(seed);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double magnitude = Math.pow(10, random.nextInt(40) - 20);
      values.add((random.nextBoolean() ? 1 : -1) * random.nextDouble() * magnitude);
    }
    return values;
  }

  private static double sumInOrder(List<Double> values) {
    ViewAccumulator acc = new ViewAccumulator(1);
    values.forEach(v -> acc.addToSum(0, v));
    return acc.sum(0);
  }

  /**
   * The values cut at random into runs, each summed in its own accumulator and sent through the
   * coder, then merged in a random tree, as slices of a batch run or panes of a stream are.
   */
  private static double sumMergedAtRandom(List<Double> values, long seed) throws Exception {
    Random random = new Random(seed);
    List<ViewAccumulator> parts = new ArrayList<>();
    int i = 0;
    while (i < values.size()) {
      int end = Math.min(values.size(), i + 1 + random.nextInt(50));
      ViewAccumulator part = new ViewAccumulator(1);
      for (; i < end; i++) {
        part.addToSum(0, values.get(i));
      }
      parts.add(roundTrip(part));
    }
    while (parts.size() > 1) {
      ViewAccumulator left = parts.remove(random.nextInt(parts.size()));
      ViewAccumulator right = parts.remove(random.nextInt(parts.size()));
      parts.add(roundTrip(left.mergedWith(right)));
    }
    return parts.get(0).sum(0);
  }

  private static ViewAccumulator roundTrip(ViewAccumulator acc) throws Exception {
    return CoderUtils.decodeFromByteArray(CODER, CoderUtils.encodeToByteArray(CODER, acc));
  }

  /** The true sum, rounded once to the nearest double. */
  private static double exactSum(List<Double> values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double v : values) {
      sum = sum.add(new BigDecimal(v));
    }
    return sum.doubleValue();
  }

  private static List<Double> shuffled(List<Double> values, long seed) {
    List<Double> copy = new ArrayList<>(values);
    Collections.shuffle(copy, new Random(seed));
    return copy;
  }

  @Test
  public void sumsPricesToTheSameBitsInAnyOrder() {
    List<Double> values = prices(1, 5_000);
    double first = sumInOrder(values);
    for (long seed = 0; seed < 20; seed++) {
      assertThat("order " + seed, sumInOrder(shuffled(values, seed)), equalTo(first));
    }
  }

  @Test
  public void sumsPricesToTheSameBitsHoweverPartsAreMerged() throws Exception {
    List<Double> values = prices(2, 5_000);
    double inOrder = sumInOrder(values);
    for (long seed = 0; seed < 20; seed++) {
      assertThat("merge tree " + seed, sumMergedAtRandom(shuffled(values, seed), seed), equalTo(inOrder));
    }
  }

  @Test
  public void sumsPricesToTheExactSumRoundedOnce() {
    List<Double> values = prices(3, 5_000);
    assertThat(sumInOrder(values), equalTo(exactSum(values)));
  }

  @Test
  public void sumsValuesOfEveryMagnitudeToTheExactSumRoundedOnceHoweverMerged() throws Exception {
    List<Double> values = wideValues(4, 3_000);
    double exact = exactSum(values);
    assertThat("in order", sumInOrder(values), equalTo(exact));
    for (long seed = 0; seed < 10; seed++) {
      assertThat("merge tree " + seed, sumMergedAtRandom(shuffled(values, seed), seed), equalTo(exact));
    }
  }

  @Test
  public void sumsATenthAFifthAndThreeTenthsToTheSameBitsBothWays() {
    assertThat(sumInOrder(List.of(0.1, 0.2, 0.3)), equalTo(sumInOrder(List.of(0.3, 0.2, 0.1))));
    assertThat(sumInOrder(List.of(0.1, 0.2, 0.3)), equalTo(0.6));
  }

  @Test
  public void roundsAHalfwayCaseByWhatLiesBelowIt() {
    // 1 + 2^53 lies halfway between two doubles; the 2^-30 below it decides: up.
    List<Double> values = List.of(Math.pow(2, 53), 1.0, Math.pow(2, -30));
    assertThat(sumInOrder(values), equalTo(Math.pow(2, 53) + 2));
    assertThat(sumInOrder(List.of(Math.pow(2, -30), 1.0, Math.pow(2, 53))), equalTo(Math.pow(2, 53) + 2));
  }

  @Test
  public void cancelsLargeValuesWithoutLosingSmallOnes() {
    assertThat(sumInOrder(List.of(1e100, 1.0, -1e100, 1e-100)), equalTo(1.0));
  }

  @Test
  public void sumsInfinitiesAsIeeeArithmeticDoes() {
    assertThat(sumInOrder(List.of(1.0, Double.POSITIVE_INFINITY, 2.0)), equalTo(Double.POSITIVE_INFINITY));
    assertThat(sumInOrder(List.of(Double.POSITIVE_INFINITY, 1.0, Double.NEGATIVE_INFINITY)), equalTo(Double.NaN));
  }
}
