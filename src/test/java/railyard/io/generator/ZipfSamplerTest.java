package railyard.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.SplittableRandom;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The guided search draws exactly the rank a bisection of the cumulative weights gives. */
@RunWith(JUnit4.class)
public class ZipfSamplerTest {
  @Test
  public void guidedDrawsEqualBisection() {
    long[] sizes = {1, 2, 7, 1000, 4096, 4097, 50_000};
    double[] skews = {0.5, 0.8, 1.0, 1.1, 1.5, 3.0, 40.0};
    for (long n : sizes) {
      for (double skew : skews) {
        double[] cumulative = new double[(int) n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
          sum += Math.pow(k, -skew);
          cumulative[k - 1] = sum;
        }
        ZipfSampler sampler = new ZipfSampler(n, skew);
        long seed = n * 31 + (long) (skew * 1000);
        SplittableRandom a = new SplittableRandom(seed);
        SplittableRandom b = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
          long expected = 1 + bisect(cumulative, b.nextDouble() * sum);
          assertThat("n=" + n + " skew=" + skew + " draw " + i, sampler.sample(a), equalTo(expected));
        }
      }
    }
  }

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
}
