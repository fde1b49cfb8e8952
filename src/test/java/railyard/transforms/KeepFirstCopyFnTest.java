package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** What a stream's deduplication keeps per bucket of ids ({@link KeepFirstCopyFn}). */
@RunWith(JUnit4.class)
public class KeepFirstCopyFnTest {
  @Test
  public void anIdsBucketIsTheSameOnEveryJvmAndWithinRange() {
    assertThat(KeepFirstCopyFn.bucketOf("evt-1"), is(Math.floorMod("evt-1".hashCode(), 4096)));
    assertThat(KeepFirstCopyFn.bucketOf("\u0000x") >= 0, is(true));
  }

  @Test
  public void aBucketsCoderKeepsItsIdsInOrderOfArrivalWithTheirReceiptTimesAndItsTimer() throws Exception {
    KeepFirstCopyFn.Seen seen = new KeepFirstCopyFn.Seen();
    seen.ids.put("b", 20L);
    seen.ids.put("a", 10L);
    seen.forgetAt = 620_000L;

    KeepFirstCopyFn.Seen copy = CoderUtils.clone(new KeepFirstCopyFn.Seen.Coder(), seen);

    assertThat(copy.ids.keySet(), contains("b", "a"));
    assertThat(copy.ids.get("a"), is(10L));
    assertThat(copy.forgetAt, is(620_000L));
  }
}
