package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.KV;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class EncodedBatchTest {
  private final EncodedBatch<String, Long> encoding =
      new EncodedBatch<>(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));

  private List<String> decoded(byte[] batch) {
    List<String> elements = new ArrayList<>();
    encoding.forEach(batch, (kv, at) -> elements.add(kv.getKey() + "=" + kv.getValue() + " at " + at));
    return elements;
  }

  @Test
  public void elementsComeBackInOrderWithTheirTimesWhereverTheTimesLie() {
    EncodedBatch<String, Long>.Writer batch = encoding.newWriter();
    batch.add(KV.of("a", 1L), 5_000);
    batch.add(KV.of("b", -2L), 1_000);
    batch.add(KV.of("a", 3L), -7_000);
    batch.add(KV.of("c", Long.MAX_VALUE), 9_000_000_000_000L);
    assertThat(batch.earliest(), is(-7_000L));
    assertThat(
        decoded(batch.finish()),
        contains("a=1 at 5000", "b=-2 at 1000", "a=3 at -7000", "c=" + Long.MAX_VALUE + " at 9000000000000"));
  }

  @Test
  public void aFinishedWriterStartsAnEmptyBatch() {
    EncodedBatch<String, Long>.Writer batch = encoding.newWriter();
    batch.add(KV.of("a", 1L), 5_000);
    batch.finish();
    assertThat(batch.isEmpty(), is(true));
    batch.add(KV.of("b", 2L), 8_000);
    assertThat(batch.earliest(), is(8_000L));
    assertThat(decoded(batch.finish()), contains("b=2 at 8000"));
  }

  @Test
  public void anEmptyBatchHoldsNoElements() {
    assertThat(decoded(encoding.newWriter().finish()), is(empty()));
  }
}
