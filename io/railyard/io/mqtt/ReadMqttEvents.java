package railyard.io.mqtt;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.mqtt.MqttIO;
import org.apache.beam.sdk.io.mqtt.MqttRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/**
 * Messages from an MQTT broker as raw events, through Beam's {@link MqttIO}: payload as published,
 * source {@code mqtt:<topic>} (the message's own topic, also under a wildcard filter), receipt time
 * when the reader took the message, attribute {@code mqtt.topic}.
 *
 * <pre>{@code
 * p.apply(ReadMqttEvents.create()
 *     .withServerUri("tcp://127.0.0.1:1883")
 *     .withTopics(List.of("railyard/#"))
 *     .withClientId("railyard"));
 * }</pre>
 *
 * <p>What MqttIO 2.62 does, and so what this source promises: it subscribes at QoS 1 (at least
 * once) and acknowledges a message only when the runner finalizes the checkpoint that holds it.
 * Its sessions are clean, and each reader's client id is this client id plus a random suffix, so
 * the broker keeps nothing for a reader that is gone: messages published while no reader is
 * connected (before the job starts, between a reader's close and its replacement) are not
 * received. MqttIO reads one topic filter per reader and never splits it; several filters are
 * several readers, flattened. The read is unbounded and never ends by itself.
 */
@AutoValue
public abstract class ReadMqttEvents extends PTransform<PBegin, PCollection<RawEvent>> {

  /** MqttIO appends "-" and a random suffix and cuts the id at MQTT 3.1's 23 characters. */
  static final int MAX_CLIENT_ID_PREFIX = 14;

  public abstract @Nullable String getServerUri();

  public abstract List<String> getTopics();

  public abstract @Nullable String getClientId();

  public abstract @Nullable String getUsername();

  public abstract @Nullable String getPassword();

  public abstract long getMaxNumRecords();

  abstract Builder toBuilder();

  public static ReadMqttEvents create() {
    return new AutoValue_ReadMqttEvents.Builder()
        .setTopics(List.of())
        .setMaxNumRecords(Long.MAX_VALUE)
        .build();
  }

  /** The broker, e.g. {@code tcp://127.0.0.1:1883} or {@code ssl://broker:8883}. */
  public ReadMqttEvents withServerUri(String serverUri) {
    return toBuilder().setServerUri(serverUri).build();
  }

  /** Topic filters to subscribe to; {@code +} and {@code #} wildcards allowed. */
  public ReadMqttEvents withTopics(List<String> topics) {
    return toBuilder().setTopics(List.copyOf(topics)).build();
  }

  /**
   * The prefix of each reader's client id, at most 14 characters: MqttIO adds a random suffix so
   * that readers never displace each other at the broker.
   */
  public ReadMqttEvents withClientId(String clientId) {
    return toBuilder().setClientId(clientId).build();
  }

  /**
   * Connects as this user, with {@code password} (may be null for a user without one): for a
   * broker that refuses anonymous clients. The password travels with the pipeline's serialized
   * transforms to the workers, as MqttIO holds it; it is never shown in display data.
   */
  public ReadMqttEvents withCredentials(String username, @Nullable String password) {
    return toBuilder().setUsername(username).setPassword(password).build();
  }

  /** Stops each topic filter's reader after this many messages: a bounded read, for tests. */
  public ReadMqttEvents withMaxNumRecords(long maxNumRecords) {
    return toBuilder().setMaxNumRecords(maxNumRecords).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setServerUri(String serverUri);

    abstract Builder setTopics(List<String> topics);

    abstract Builder setClientId(String clientId);

    abstract Builder setUsername(@Nullable String username);

    abstract Builder setPassword(@Nullable String password);

    abstract Builder setMaxNumRecords(long maxNumRecords);

    abstract ReadMqttEvents build();
  }

  @Override
  public PCollection<RawEvent> expand(PBegin begin) {
    checkArgument(
        getServerUri() != null, "ReadMqttEvents needs a broker: call withServerUri(\"tcp://host:1883\")");
    checkArgument(
        !getTopics().isEmpty(), "ReadMqttEvents needs topic filters: call withTopics(List.of(…))");
    checkArgument(
        getTopics().stream().noneMatch(t -> t == null || t.isEmpty()),
        "ReadMqttEvents: withTopics(…) has an empty topic filter: %s",
        getTopics());
    checkArgument(getClientId() != null, "ReadMqttEvents needs a client id: call withClientId(id)");
    checkArgument(
        !getClientId().isEmpty() && getClientId().length() <= MAX_CLIENT_ID_PREFIX,
        "ReadMqttEvents: withClientId(\"%s\") must have 1 to %s characters (MqttIO adds a random"
            + " suffix within MQTT 3.1's 23)",
        getClientId(),
        MAX_CLIENT_ID_PREFIX);
    checkArgument(getMaxNumRecords() > 0, "ReadMqttEvents: withMaxNumRecords(n) needs n > 0");
    checkArgument(
        getUsername() == null ? getPassword() == null : !getUsername().isEmpty(),
        "ReadMqttEvents: withCredentials(username, password) needs a non-empty username");

    PCollectionList<MqttRecord> reads = PCollectionList.empty(begin.getPipeline());
    for (int i = 0; i < getTopics().size(); i++) {
      MqttIO.ConnectionConfiguration connection =
          MqttIO.ConnectionConfiguration.create(getServerUri(), getTopics().get(i))
              .withClientId(getClientId());
      if (getUsername() != null) {
        connection = connection.withUsername(getUsername());
        if (getPassword() != null) {
          connection = connection.withPassword(getPassword());
        }
      }
      MqttIO.Read<MqttRecord> read =
          MqttIO.readWithMetadata().withConnectionConfiguration(connection);
      if (getMaxNumRecords() < Long.MAX_VALUE) {
        read = read.withMaxNumRecords(getMaxNumRecords());
      }
      reads = reads.and(begin.apply("ReadTopicFilter" + i, read));
    }
    return reads
        .apply("Flatten", Flatten.pCollections())
        .apply("ToRawEvents", ParDo.of(new ToRawEventFn()));
  }

  /** MqttIO stamps each message with the time its reader took it: that is the receipt time. */
  static final class ToRawEventFn extends DoFn<MqttRecord, RawEvent> {
    @ProcessElement
    public void process(
        @Element MqttRecord record, @Timestamp Instant receivedAt, OutputReceiver<RawEvent> out) {
      out.output(
          new RawEvent(
              "mqtt:" + record.getTopic(),
              receivedAt.getMillis(),
              record.getPayload(),
              Map.of("mqtt.topic", record.getTopic())));
    }
  }
}
