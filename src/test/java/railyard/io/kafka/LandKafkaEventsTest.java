package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.files.WrittenFiles;
import railyard.model.RawEvent;
import railyard.testing.Counters;

/**
 * Kafka records land in the raw lake once each, in files named by the offsets they hold, whatever
 * copies a replay brings. Pure file-system tests: the records are made here, as {@link
 * ReadKafkaEvents} makes them, and arrive as from one reader, in read order (a {@link TestStream},
 * one bundle per batch): the transform's contract. Bounded input from {@code Create} would be split
 * and processed in parallel, which a Kafka reader never does.
 */
@RunWith(JUnit4.class)
public class LandKafkaEventsTest {
  private static final long T = Instant.parse("2026-11-20T10:15:00Z").getMillis();

  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
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

  private static List<RawEvent> records(String topic, int partition, long from, long to) {
    List<RawEvent> records = new ArrayList<>();
    for (long offset = from; offset <= to; offset++) {
      records.add(record(topic, partition, offset));
    }
    return records;
  }

  private static TimestampedValue<RawEvent> received(RawEvent event) {
    return TimestampedValue.of(event, new Instant(event.receivedAt()));
  }

  private JobOutputs outputs() {
    return new JobOutputs(tmp.getRoot().toPath());
  }

  private LandKafkaEvents land() {
    return LandKafkaEvents.to(outputs().lake().toString()).withPipelineName("orders");
  }

  private Path raw() {
    return outputs().lake().resolve("raw/orders");
  }

  private static PCollection<String> fileNames(PCollection<String> paths) {
    return paths.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(path -> path.substring(path.indexOf("/dt=") + 1)));
  }

  private static long counter(PipelineResult result, String name) {
    return Counters.sum(result, LandKafkaEvents.NAMESPACE, name);
  }

  @Test
  public void landsEachTopicPartitionInAFileNamedByItsOffsetRangeUnderItsReceiptHour() {
    List<RawEvent> input = new ArrayList<>(records("orders-eu", 0, 0, 4));
    input.addAll(records("orders-eu", 1, 7, 8));

    PCollection<String> landed = pipeline.apply(inOrder(input)).apply(land());

    PAssert.that(fileNames(landed))
        .containsInAnyOrder(
            "dt=2026-11-20/hr=10/kafka-orders-eu-0-0-4.avro",
            "dt=2026-11-20/hr=10/kafka-orders-eu-1-7-8.avro");
    pipeline.run().waitUntilFinish();
    assertThat(
        WrittenFiles.under(raw()),
        containsInAnyOrder(
            "dt=2026-11-20/hr=10/kafka-orders-eu-0-0-4.avro",
            "dt=2026-11-20/hr=10/kafka-orders-eu-1-7-8.avro"));
  }

  @Test
  public void keepsTheExactRecordsAsTheLakeSchemaHoldsThem() throws Exception {
    List<RawEvent> input = records("orders", 0, 0, 2);

    pipeline.apply(inOrder(input)).apply(land());
    pipeline.run().waitUntilFinish();

    assertThat(
        outputs().lakeSources(),
        containsInAnyOrder("kafka:orders/0/0", "kafka:orders/0/1", "kafka:orders/0/2"));
    assertThat(
        new java.util.HashSet<>(outputs().lakePayloadDigests()),
        equalTo(
            new java.util.HashSet<>(
                input.stream().map(e -> JobOutputs.sha256(e.payload())).toList())));
  }

  @Test
  public void aRecordReadTwiceInOneBundleLandsOnce() throws Exception {
    List<RawEvent> input = new ArrayList<>(records("orders", 0, 0, 3));
    input.addAll(records("orders", 0, 1, 2));

    PipelineResult result = runInOrder(input);

    assertThat(outputs().lakeSources().size(), equalTo(4));
    assertThat(counter(result, LandKafkaEvents.LANDED), equalTo(4L));
    assertThat(counter(result, LandKafkaEvents.REPLAY_COPIES), equalTo(2L));
  }

  @Test
  public void offsetsAFileInTheLakeAlreadyHoldsAreNotLandedAgain() throws Exception {
    TreeMap<Long, RawEvent> earlier = new TreeMap<>();
    for (RawEvent event : records("orders", 0, 0, 2)) {
      earlier.put(KafkaCoordinates.of(event).offset(), event);
    }
    LakeLandingFiles.write(
        raw().toString(), new LandedFile("dt=2026-11-20/hr=10", "orders", 0), earlier);

    PipelineResult result = runInOrder(records("orders", 0, 0, 5));

    assertThat(
        WrittenFiles.under(raw()),
        containsInAnyOrder(
            "dt=2026-11-20/hr=10/kafka-orders-0-0-2.avro",
            "dt=2026-11-20/hr=10/kafka-orders-0-3-5.avro"));
    assertThat(outputs().lakeSources().size(), equalTo(6));
    assertThat(counter(result, LandKafkaEvents.REPLAY_COPIES), equalTo(3L));
  }

  @Test
  public void unboundedReplaysAcrossBundlesLandOnceAndLateRecordsStillLand() throws Exception {
    TestStream<RawEvent> stream =
        TestStream.create(RawEvent.RawEventCoder.of())
            .addElements(received(record("orders", 0, 0)), received(record("orders", 0, 1)))
            .advanceWatermarkTo(new Instant(T + 60_000))
            // a replay of what was landed, then new records; offset 2's receipt time is now late
            .addElements(
                received(record("orders", 0, 0)),
                received(record("orders", 0, 1)),
                received(record("orders", 0, 2)))
            .advanceWatermarkTo(new Instant(T + 7_200_000))
            .addElements(received(record("orders", 0, 3)))
            .advanceWatermarkToInfinity();

    PCollection<String> landed = pipeline.apply(stream).apply(land());
    PAssert.that(fileNames(landed))
        .containsInAnyOrder(
            "dt=2026-11-20/hr=10/kafka-orders-0-0-1.avro",
            "dt=2026-11-20/hr=10/kafka-orders-0-2-2.avro",
            "dt=2026-11-20/hr=10/kafka-orders-0-3-3.avro");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    List<String> sources = outputs().lakeSources();
    assertThat(
        sources,
        containsInAnyOrder("kafka:orders/0/0", "kafka:orders/0/1", "kafka:orders/0/2", "kafka:orders/0/3"));
    assertThat(counter(result, LandKafkaEvents.REPLAY_COPIES), equalTo(2L));
  }

  @Test
  public void landsBoundedInput() throws Exception {
    // One record per topic partition: a bounded Create may split its input, never a record.
    List<RawEvent> input =
        List.of(record("orders", 0, 5), record("orders", 1, 9), record("refunds", 0, 2));

    pipeline.apply(Create.of(input).withCoder(RawEvent.RawEventCoder.of())).apply(land());
    pipeline.run().waitUntilFinish();

    assertThat(
        WrittenFiles.under(raw()),
        containsInAnyOrder(
            "dt=2026-11-20/hr=10/kafka-orders-0-5-5.avro",
            "dt=2026-11-20/hr=10/kafka-orders-1-9-9.avro",
            "dt=2026-11-20/hr=10/kafka-refunds-0-2-2.avro"));
    assertThat(outputs().lakeSources().size(), equalTo(3));
  }

  @Test
  public void anEventWithoutKafkaCoordinatesFailsTheRunWithTheReason() {
    RawEvent notFromKafka =
        new RawEvent("http:collector", T, "x".getBytes(StandardCharsets.UTF_8), Map.of());
    pipeline
        .apply(Create.of(List.of(notFromKafka)).withCoder(RawEvent.RawEventCoder.of()))
        .apply(land());

    Exception failure = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());

    assertThat(failure.getMessage(), containsString("has no Kafka coordinates"));
  }

  @Test
  public void needsALakeRootAndAPipelineName() {
    PCollection<RawEvent> none =
        pipeline.apply(Create.empty(RawEvent.RawEventCoder.of()));

    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> none.apply("NoName", LandKafkaEvents.to("/tmp/lake")))
            .getMessage(),
        containsString("withPipelineName"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> none.apply("NoRoot", LandKafkaEvents.to("").withPipelineName("orders")))
            .getMessage(),
        containsString("lake root"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  /** The records as one Kafka reader hands them over: in this order, in one bundle. */
  private static TestStream<RawEvent> inOrder(List<RawEvent> records) {
    List<TimestampedValue<RawEvent>> timestamped = new ArrayList<>();
    for (RawEvent record : records) {
      timestamped.add(received(record));
    }
    return TestStream.create(RawEvent.RawEventCoder.of())
        .addElements(timestamped.get(0), timestamped.subList(1, timestamped.size()).toArray(TimestampedValue[]::new))
        .advanceWatermarkToInfinity();
  }

  private PipelineResult runInOrder(List<RawEvent> input) {
    pipeline.apply(inOrder(input)).apply(land());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }
}
