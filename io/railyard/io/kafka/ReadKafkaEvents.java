package railyard.io.kafka;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/**
 * Kafka topics as a source of {@link RawEvent}s, over Beam's {@link KafkaIO} with byte-array keys
 * and values.
 *
 * <pre>{@code
 * PCollection<RawEvent> events = p.apply(
 *     ReadKafkaEvents.read()
 *         .withBootstrapServers("127.0.0.1:9092")
 *         .withTopics(List.of("events"))
 *         .withGroupId("railyard-clickstream"));
 * }</pre>
 *
 * <p>Each record becomes one event: its payload is the record's value, byte for byte (a tombstone,
 * with no value, becomes an empty payload, a dead letter of reason {@code empty}); its source
 * is {@code kafka:<topic>/<partition>/<offset>}, which names the record uniquely; its attributes
 * are {@code kafka.topic}, {@code kafka.partition}, {@code kafka.offset}, {@code kafka.timestamp},
 * {@code kafka.timestampType}, {@code kafka.key} (when there is one) and {@code
 * kafka.header.<name>} for each header; keys and header values are UTF-8 text, or, when they are
 * not valid UTF-8, base64 under the same name with {@code .base64} appended.
 *
 * <p>{@code receivedAt}, which is also the element's timestamp, is the record's Kafka timestamp
 * rather than the time Railyard read it: the broker or producer assigned it when the event entered
 * Kafka, and it is stored with the record, so a replay of the same offsets gives every event the
 * same receipt time and the same raw-lake partition. The watermark follows those timestamps and
 * moves on for partitions that are caught up or empty (see {@link #withMaxTimestampDelay}).
 *
 * <p>The consumer group's offsets are committed when Beam finalizes a checkpoint (on Flink: when
 * a checkpoint completes), and a job started afresh resumes from them; a group without committed
 * offsets starts at the earliest offset (or the latest: {@link #withStartFromLatest}). A committed
 * offset means read by a completed checkpoint, not written by the sinks downstream: records still
 * in open windows when a job is stopped are skipped by a fresh start ({@link LandKafkaEvents} lands
 * them in the lake before the commit), so restore a stopped job from its last checkpoint to keep
 * its window state too. A record read twice by a restored source is passed once (see {@link
 * DropRepeatedReads}). Only committed transactional records are read ({@code read_committed}).
 * The topics must exist when the pipeline starts. Reading is unbounded: it never ends by itself.
 */
@AutoValue
public abstract class ReadKafkaEvents extends PTransform<PBegin, PCollection<RawEvent>> {
  private static final long serialVersionUID = 1L;

  /** How far a record's timestamp may fall behind newer ones in its partition and stay on time. */
  public static final Duration DEFAULT_MAX_TIMESTAMP_DELAY = Duration.standardSeconds(10);

  public abstract @Nullable String getBootstrapServers();

  public abstract List<String> getTopics();

  public abstract @Nullable String getGroupId();

  public abstract boolean isStartFromLatest();

  public abstract Duration getMaxTimestampDelay();

  public abstract long getMaxNumRecords();

  abstract Builder toBuilder();

  public static ReadKafkaEvents read() {
    return new AutoValue_ReadKafkaEvents.Builder()
        .setTopics(List.of())
        .setStartFromLatest(false)
        .setMaxTimestampDelay(DEFAULT_MAX_TIMESTAMP_DELAY)
        .setMaxNumRecords(Long.MAX_VALUE)
        .build();
  }

  /** Comma-separated {@code host:port} pairs of brokers to bootstrap from. */
  public ReadKafkaEvents withBootstrapServers(String bootstrapServers) {
    return toBuilder().setBootstrapServers(bootstrapServers).build();
  }

  /** The topics to read, one or more; all their partitions are read. */
  public ReadKafkaEvents withTopics(List<String> topics) {
    checkArgument(topics != null, "withTopics(topics) called with null");
    return toBuilder().setTopics(List.copyOf(topics)).build();
  }

  /** The consumer group whose committed offsets say where to resume. */
  public ReadKafkaEvents withGroupId(String groupId) {
    return toBuilder().setGroupId(groupId).build();
  }

  /** A group without committed offsets starts at the end of each partition instead of its start. */
  public ReadKafkaEvents withStartFromLatest() {
    return toBuilder().setStartFromLatest(true).build();
  }

  /**
   * How far behind the newest timestamp read in a partition the watermark stays; also how far
   * behind the wall clock it stays once the partition is caught up. A record older than that when
   * read is late for the windows downstream (the raw lake still keeps it).
   */
  public ReadKafkaEvents withMaxTimestampDelay(Duration maxDelay) {
    checkArgument(
        maxDelay != null && !maxDelay.isShorterThan(Duration.ZERO),
        "withMaxTimestampDelay(delay) needs a delay of zero or more, got %s",
        maxDelay);
    return toBuilder().setMaxTimestampDelay(maxDelay).build();
  }

  /**
   * Stops after this many records, making the read bounded. For tests only: a bounded read does not
   * commit offsets the way a streaming job does.
   */
  public ReadKafkaEvents withMaxNumRecords(long maxNumRecords) {
    checkArgument(maxNumRecords > 0, "withMaxNumRecords(n) needs n > 0, got %s", maxNumRecords);
    return toBuilder().setMaxNumRecords(maxNumRecords).build();
  }

  @Override
  public PCollection<RawEvent> expand(PBegin begin) {
    checkArgument(
        getBootstrapServers() != null && !getBootstrapServers().isBlank(),
        "ReadKafkaEvents needs brokers: call withBootstrapServers(\"host:port,…\")");
    checkArgument(
        !getTopics().isEmpty(), "ReadKafkaEvents needs at least one topic: call withTopics(topics)");
    for (String topic : getTopics()) {
      checkArgument(
          topic != null && !topic.isBlank(), "withTopics(%s): a topic name is blank", getTopics());
    }
    checkArgument(
        getGroupId() != null && !getGroupId().isBlank(),
        "ReadKafkaEvents needs a consumer group to commit offsets for: call withGroupId(group)");
    KafkaIO.Read<byte[], byte[]> kafka =
        KafkaIO.readBytes()
            .withBootstrapServers(getBootstrapServers())
            .withTopics(getTopics())
            .withConsumerConfigUpdates(
                Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, getGroupId(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        isStartFromLatest() ? "latest" : "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))
            .withReadCommitted()
            .commitOffsetsInFinalize()
            .withTimestampPolicyFactory(RecordTimePolicy.factory(getMaxTimestampDelay()));
    if (getMaxNumRecords() != Long.MAX_VALUE) {
      kafka = kafka.withMaxNumRecords(getMaxNumRecords());
    }
    return begin
        .apply("ReadKafka", kafka)
        .apply("ToRawEvents", ParDo.of(new ToRawEventFn()))
        .setCoder(RawEvent.RawEventCoder.of())
        .apply("DropRepeatedReads", new DropRepeatedReads());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .addIfNotNull(DisplayData.item("bootstrapServers", getBootstrapServers()))
        .add(DisplayData.item("topics", String.join(",", getTopics())))
        .addIfNotNull(DisplayData.item("groupId", getGroupId()))
        .add(DisplayData.item("startFromLatest", isStartFromLatest()))
        .add(DisplayData.item("maxTimestampDelay", getMaxTimestampDelay()));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBootstrapServers(String bootstrapServers);

    abstract Builder setTopics(List<String> topics);

    abstract Builder setGroupId(String groupId);

    abstract Builder setStartFromLatest(boolean startFromLatest);

    abstract Builder setMaxTimestampDelay(Duration maxDelay);

    abstract Builder setMaxNumRecords(long maxNumRecords);

    abstract ReadKafkaEvents build();
  }

  private static final class ToRawEventFn extends DoFn<KafkaRecord<byte[], byte[]>, RawEvent> {
    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record,
        @Timestamp Instant timestamp,
        OutputReceiver<RawEvent> out) {
      out.output(KafkaRawEvents.toRawEvent(record, timestamp));
    }
  }
}
