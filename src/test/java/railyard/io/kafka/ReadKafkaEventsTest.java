package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;
import railyard.transforms.PrepareEvents;
import railyard.transforms.WithDeadLetters;

/**
 * Records produced to the real local broker come out as raw events with their exact bytes, source
 * and attributes. These reads are bounded ({@code withMaxNumRecords}) so a test ends; the job
 * reads without bound (see {@link KafkaJobTest}).
 */
@RunWith(JUnit4.class)
public class ReadKafkaEventsTest {
  private static final long T = Instant.parse("2026-11-20T10:00:00Z").getMillis();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @BeforeClass
  public static void broker() throws Exception {
    KafkaBroker.ensureRunning();
  }

  private static ReadKafkaEvents read(List<String> topics, long records) {
    return ReadKafkaEvents.read()
        .withBootstrapServers(KafkaBroker.BOOTSTRAP)
        .withTopics(topics)
        .withGroupId("railyard-test-" + topics.get(0))
        .withMaxNumRecords(records);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void readsEachRecordAsARawEventWithItsBytesSourceAndAttributes() throws Exception {
    String topic = KafkaBroker.newTopic("read-exact", 1);
    byte[] binary = {(byte) 0xC3, '(', 0, (byte) 0xFF};
    ProducerRecord<byte[], byte[]> keyed =
        new ProducerRecord<>(topic, 0, T, utf8("user-1"), utf8("{\"event_id\":\"e1\"}"));
    keyed.headers().add(new RecordHeader("trace", utf8("abc-123")));
    keyed.headers().add(new RecordHeader("lang", utf8("fr")));
    ProducerRecord<byte[], byte[]> unkeyed = new ProducerRecord<>(topic, 0, T + 5, null, binary);
    unkeyed.headers().add(new RecordHeader("raw", binary));
    KafkaBroker.produce(List.of(keyed, unkeyed));

    PCollection<RawEvent> events = pipeline.apply(read(List.of(topic), 2));

    PAssert.that(events)
        .containsInAnyOrder(
            new RawEvent(
                "kafka:" + topic + "/0/0",
                T,
                utf8("{\"event_id\":\"e1\"}"),
                Map.of(
                    "kafka.topic", topic,
                    "kafka.partition", "0",
                    "kafka.offset", "0",
                    "kafka.timestamp", Long.toString(T),
                    "kafka.timestampType", "CreateTime",
                    "kafka.key", "user-1",
                    "kafka.header.trace", "abc-123",
                    "kafka.header.lang", "fr")),
            new RawEvent(
                "kafka:" + topic + "/0/1",
                T + 5,
                binary,
                Map.of(
                    "kafka.topic", topic,
                    "kafka.partition", "0",
                    "kafka.offset", "1",
                    "kafka.timestamp", Long.toString(T + 5),
                    "kafka.timestampType", "CreateTime",
                    "kafka.header.raw.base64", Base64.getEncoder().encodeToString(binary))));
    pipeline.run();
  }

  @Test
  public void stampsEachEventWithItsRecordTimestamp() throws Exception {
    String topic = KafkaBroker.newTopic("read-time", 2);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(new ProducerRecord<>(topic, i % 2, T + i * 1000L, null, utf8("{\"n\":" + i + "}")));
    }
    KafkaBroker.produce(records);

    PCollection<Long> skew =
        pipeline
            .apply(read(List.of(topic), 20))
            .apply(ParDo.of(new TimestampMinusReceivedAtFn()));

    PAssert.that(skew).satisfies(all -> {
      all.forEach(s -> assertThat("element timestamp - receivedAt", s, is(0L)));
      return null;
    });
    pipeline.run();
  }

  @Test
  public void readsEveryPartitionOfEveryTopic() throws Exception {
    String first = KafkaBroker.newTopic("read-many-a", 2);
    String second = KafkaBroker.newTopic("read-many-b", 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      records.add(new ProducerRecord<>(first, p, T, null, utf8("a" + p)));
    }
    for (int p = 0; p < 3; p++) {
      records.add(new ProducerRecord<>(second, p, T, null, utf8("b" + p)));
    }
    KafkaBroker.produce(records);

    PCollection<String> sources =
        pipeline
            .apply(read(List.of(first, second), 5))
            .apply(ParDo.of(new SourceFn()));

    PAssert.that(sources)
        .containsInAnyOrder(
            "kafka:" + first + "/0/0",
            "kafka:" + first + "/1/0",
            "kafka:" + second + "/0/0",
            "kafka:" + second + "/1/0",
            "kafka:" + second + "/2/0");
    pipeline.run();
  }

  /**
   * A tombstone (a record with a key and no value, how a compacted topic deletes a key) has no
   * payload to parse: it lands as zero bytes and preparation gives it the reason {@code empty}.
   */
  @Test
  public void aTombstoneIsADeadLetterForHavingNoPayload() throws Exception {
    String topic = KafkaBroker.newTopic("read-tombstone", 1);
    ProducerRecord<byte[], byte[]> tombstone = new ProducerRecord<>(topic, 0, T, utf8("user-1"), (byte[]) null);
    KafkaBroker.produce(List.of(tombstone));

    DeclaredSchema schema =
        new DeclaredSchema(
            "events",
            1,
            List.of(FieldSpec.of("event_id", FieldKind.STRING), FieldSpec.of("ts", FieldKind.TIMESTAMP)));
    WithDeadLetters<Row> parsed =
        pipeline
            .apply(read(List.of(topic), 1))
            .apply(
                PrepareEvents.of(schema)
                    .withEventIdField("event_id")
                    .withEventTimeField("ts")
                    .withAllowedSkew(Duration.standardHours(1))
                    .withDedupeHorizon(Duration.standardMinutes(10)));

    PAssert.that(parsed.output()).empty();
    PAssert.thatSingleton(parsed.deadLetters())
        .satisfies(
            dead -> {
              assertThat(dead.stage(), is(DeadLetter.Stage.PARSE));
              assertThat(dead.reason(), is("empty"));
              assertThat(dead.payload().length, is(0));
              assertThat(dead.source(), is("kafka:" + topic + "/0/0"));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void needsBootstrapServers() {
    pipeline.enableAbandonedNodeEnforcement(false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadKafkaEvents.read().withTopics(List.of("t")).withGroupId("g")));
    assertThat(e.getMessage(), containsString("withBootstrapServers"));
  }

  @Test
  public void needsATopic() {
    pipeline.enableAbandonedNodeEnforcement(false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadKafkaEvents.read().withBootstrapServers(KafkaBroker.BOOTSTRAP).withGroupId("g")));
    assertThat(e.getMessage(), containsString("withTopics"));
  }

  @Test
  public void needsAConsumerGroup() {
    pipeline.enableAbandonedNodeEnforcement(false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadKafkaEvents.read()
                        .withBootstrapServers(KafkaBroker.BOOTSTRAP)
                        .withTopics(List.of("t"))));
    assertThat(e.getMessage(), containsString("withGroupId"));
  }

  private static final class TimestampMinusReceivedAtFn extends DoFn<RawEvent, Long> {
    @ProcessElement
    public void process(@Element RawEvent event, @Timestamp Instant timestamp, OutputReceiver<Long> out) {
      out.output(timestamp.getMillis() - event.receivedAt());
    }
  }

  private static final class SourceFn extends DoFn<RawEvent, String> {
    @ProcessElement
    public void process(@Element RawEvent event, OutputReceiver<String> out) {
      out.output(event.source());
    }
  }
}
