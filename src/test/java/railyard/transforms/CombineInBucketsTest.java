package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class CombineInBucketsTest {
  private static final KvCoder<String, Long> CODER = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static TimestampedValue<KV<String, Long>> value(String key, long value, long at) {
    return TimestampedValue.of(KV.of(key, value), new Instant(at));
  }

  private static CombineInBuckets<String, Long, long[], Long> sumInTinyBatches() {
    return CombineInBuckets.<String, Long, long[], Long>of(Sum.ofLongs()).withBatching(3, 2);
  }

  /** A result as its key, value and timestamp. */
  private static final class DescribeFn extends DoFn<KV<String, Long>, String> {
    @ProcessElement
    public void process(@Element KV<String, Long> result, @Timestamp Instant at, OutputReceiver<String> out) {
      out.output(result.getKey() + "=" + result.getValue() + " at " + at.getMillis());
    }
  }

  @Test
  public void combinesTheValuesOfEachKeyWhateverBatchTheyLeftIn() {
    PCollection<KV<String, Long>> sums =
        pipeline
            .apply(
                Create.timestamped(
                        value("a", 1, 0), value("b", 10, 0), value("a", 2, 0),
                        value("c", 100, 0), value("a", 3, 0), value("b", 20, 0))
                    .withCoder(CODER))
            .apply(sumInTinyBatches());
    PAssert.that(sums).containsInAnyOrder(KV.of("a", 6L), KV.of("b", 30L), KV.of("c", 100L));
    pipeline.run();
  }

  @Test
  public void stampsEachResultWithTheTimeOfItsKeysEarliestValue() {
    PCollection<String> sums =
        pipeline
            .apply(
                Create.timestamped(
                        value("a", 1, 5_000), value("b", 10, 7_000), value("a", 2, 3_000),
                        value("b", 20, 9_000))
                    .withCoder(CODER))
            .apply(sumInTinyBatches())
            .apply(ParDo.of(new DescribeFn()));
    PAssert.that(sums).containsInAnyOrder("a=3 at 3000", "b=30 at 7000");
    pipeline.run();
  }

  @Test
  public void handsItsResultsBackInTheInputsWindowing() {
    PCollection<KV<String, Long>> values =
        pipeline.apply(Create.timestamped(value("a", 1, 0), value("b", 2, 0)).withCoder(CODER));
    PCollection<KV<String, Long>> sums = values.apply(sumInTinyBatches());
    assertThat(sums.getWindowingStrategy(), equalTo(values.getWindowingStrategy()));
    PAssert.that(sums).inWindow(GlobalWindow.INSTANCE).containsInAnyOrder(KV.of("a", 1L), KV.of("b", 2L));
    pipeline.run();
  }

  @Test
  public void refusesAStream() {
    TestStream<KV<String, Long>> stream =
        TestStream.create(CODER).addElements(KV.of("a", 1L)).advanceWatermarkToInfinity();
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> pipeline.apply(stream).apply(sumInTinyBatches()));
    assertThat(refused.getMessage(), containsString("reads a bounded input"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }
}
