package railyard.io.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/** A record read a second time (at or below its partition's highest offset passed) is dropped. */
@RunWith(JUnit4.class)
public class DropRepeatedReadsTest {
  private static final long T = Instant.parse("2026-11-20T10:00:00Z").getMillis();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static RawEvent record(String topic, int partition, long offset) {
    return new RawEvent(
        "kafka:" + topic + "/" + partition + "/" + offset,
        T + offset,
        ("payload " + offset).getBytes(StandardCharsets.UTF_8),
        Map.of(
            KafkaRawEvents.TOPIC, topic,
            KafkaRawEvents.PARTITION, Integer.toString(partition),
            KafkaRawEvents.OFFSET, Long.toString(offset)));
  }

  private static TimestampedValue<RawEvent> at(RawEvent record) {
    return TimestampedValue.of(record, new Instant(record.receivedAt()));
  }

  @Test
  public void aSecondReaderOfTheSameOffsetsIsDroppedWhereverItInterleaves() {
    // As a restored Flink source reads: the restored split and a fresh one over the same offsets.
    TestStream<RawEvent> reads =
        TestStream.create(RawEvent.RawEventCoder.of())
            .addElements(at(record("t", 0, 10)), at(record("t", 0, 11)))
            .addElements(at(record("t", 0, 10)), at(record("t", 0, 12)))
            .advanceWatermarkTo(new Instant(T + 100))
            .addElements(at(record("t", 0, 11)), at(record("t", 0, 12)), at(record("t", 0, 13)))
            .advanceWatermarkToInfinity();

    PCollection<RawEvent> passed = pipeline.apply(reads).apply(new DropRepeatedReads());

    PAssert.that(passed)
        .containsInAnyOrder(
            record("t", 0, 10), record("t", 0, 11), record("t", 0, 12), record("t", 0, 13));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void eachTopicPartitionKeepsItsOwnHighestOffset() {
    // One record per partition: bounded input in any order and bundling.
    List<RawEvent> records =
        List.of(record("t", 0, 50), record("t", 1, 3), record("u", 0, 7), record("u-x", 0, 1));

    PCollection<RawEvent> passed =
        pipeline
            .apply(Create.of(records).withCoder(RawEvent.RawEventCoder.of()))
            .apply(new DropRepeatedReads());

    PAssert.that(passed).containsInAnyOrder(records);
    pipeline.run().waitUntilFinish();
  }
}
