package railyard.io.mqtt;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import railyard.io.files.Checks;
import railyard.io.lake.LakeRecords;
import railyard.model.RawEvent;

/**
 * Messages from an MQTT broker, landed in the raw lake and then passed on as raw events: payload as
 * published, source {@code mqtt:<topic>} (the message's own topic, also under a wildcard filter),
 * receipt time when the reader landed the message, attributes {@code mqtt.topic} and {@code
 * mqtt.messageId} (the packet id the broker gave it).
 *
 * <pre>{@code
 * p.apply(ReadMqttEvents.create()
 *     .withServerUri("tcp://127.0.0.1:1883")
 *     .withTopics(List.of("railyard/#"))
 *     .withClientId("railyard-orders")
 *     .withLake("/data/lake", "orders"));
 * }</pre>
 *
 * <p>One client, with the stable client id given, subscribes to every filter at QoS 1 in a
 * persistent session (clean session off): the broker keeps what is published while the job is
 * away and sends it when the job comes back. Each message is acknowledged once it is in the raw
 * lake ({@code <lake>/raw/<pipeline>/dt=…/hr=…/mqtt-<client>-<n>-….avro}, one file per landed
 * batch), not at a checkpoint, so the broker's in-flight and queue limits never fill while the job
 * runs. The lake holds each message once: a copy the broker sends again after a lost
 * acknowledgement is recognised (see {@link MqttLander}) and counted, not landed. What landed after
 * the checkpoint a job is restored from (or, started afresh, the last finalized one) is passed on
 * again from the lake, so nothing acknowledged is lost downstream. The job must not land these
 * events again: they are in the lake already. The read is unbounded and never ends by itself.
 */
@AutoValue
public abstract class ReadMqttEvents extends PTransform<PBegin, PCollection<RawEvent>> {

  /** MQTT 3.1.1 guarantees client ids of up to 23 characters; the id also names lake files. */
  static final int MAX_CLIENT_ID = 23;

  static final String CLIENT_ID_CHARACTERS = "[A-Za-z0-9_-]+";

  public abstract @Nullable String getServerUri();

  public abstract List<String> getTopics();

  public abstract @Nullable String getClientId();

  public abstract @Nullable String getUsername();

  public abstract @Nullable String getPassword();

  public abstract long getMaxNumRecords();

  public abstract @Nullable String getLakeRoot();

  public abstract @Nullable String getPipelineName();

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
   * The client id, 1 to 23 letters, digits, '-' or '_': the broker keeps the session (what is
   * queued for the job) under it, so it must stay the same across restarts and be used by no other
   * client at the same time.
   */
  public ReadMqttEvents withClientId(String clientId) {
    return toBuilder().setClientId(clientId).build();
  }

  /**
   * Connects as this user, with {@code password} (may be null for a user without one): for a
   * broker that refuses anonymous clients. The password travels with the pipeline's serialized
   * transforms to the workers; it is never shown in display data.
   */
  public ReadMqttEvents withCredentials(String username, @Nullable String password) {
    return toBuilder().setUsername(username).setPassword(password).build();
  }

  /**
   * The lake to land in before acknowledging, and the pipeline whose raw directory it is ({@code
   * <root>/raw/<pipelineName>}).
   */
  public ReadMqttEvents withLake(String root, String pipelineName) {
    return toBuilder().setLakeRoot(root).setPipelineName(pipelineName).build();
  }

  /** Stops after this many messages passed on: a bounded read, for tests. */
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

    abstract Builder setLakeRoot(String lakeRoot);

    abstract Builder setPipelineName(String pipelineName);

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
        getClientId().length() <= MAX_CLIENT_ID && getClientId().matches(CLIENT_ID_CHARACTERS),
        "ReadMqttEvents: withClientId(\"%s\") must have 1 to %s letters, digits, '-' or '_' (the"
            + " broker keeps the job's session under it)",
        getClientId(),
        MAX_CLIENT_ID);
    checkArgument(getMaxNumRecords() > 0, "ReadMqttEvents: withMaxNumRecords(n) needs n > 0");
    checkArgument(
        getUsername() == null ? getPassword() == null : !getUsername().isEmpty(),
        "ReadMqttEvents: withCredentials(username, password) needs a non-empty username");
    checkArgument(
        getLakeRoot() != null && !getLakeRoot().isEmpty(),
        "ReadMqttEvents needs the raw lake it lands messages in before acknowledging them: call"
            + " withLake(root, pipelineName)");
    checkArgument(
        Checks.isPathSegment(getPipelineName()),
        "ReadMqttEvents: withLake(root, pipelineName) needs a pipeline name that is a single path"
            + " segment; was %s",
        getPipelineName());

    MqttLandingSource source =
        new MqttLandingSource(
            new MqttConnection(getServerUri(), getTopics(), getClientId(), getUsername(), getPassword()),
            LakeRecords.rawDirectory(getLakeRoot(), getPipelineName()));
    if (getMaxNumRecords() < Long.MAX_VALUE) {
      return begin.apply("LandMqtt", Read.from(source).withMaxNumRecords(getMaxNumRecords()));
    }
    return begin.apply("LandMqtt", Read.from(source));
  }
}
