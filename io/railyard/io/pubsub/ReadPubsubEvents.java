package railyard.io.pubsub;

import static railyard.io.files.Checks.checkArgument;

import com.google.api.client.util.Clock;
import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubTestClient;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import railyard.model.RawEvent;

/**
 * Google Cloud Pub/Sub messages as raw events, through Beam's {@link PubsubIO}: payload = the
 * message data, source {@code pubsub:<subscription or topic>}, receipt time = the publish time (or
 * the timestamp attribute's time), attributes = the message's attributes plus {@code
 * pubsub.messageId}.
 *
 * <pre>{@code
 * p.apply(ReadPubsubEvents.create()
 *     .withSubscription("projects/p/subscriptions/s")
 *     .withIdAttribute("event_id"));
 * }</pre>
 *
 * <p>Reading a topic makes Beam create a subscription of its own when the job starts, which sees
 * only messages published from then on; a subscription keeps what was published while the job was
 * down.
 */
@AutoValue
public abstract class ReadPubsubEvents extends PTransform<PBegin, PCollection<RawEvent>> {

  public abstract @Nullable String getSubscription();

  public abstract @Nullable String getTopic();

  public abstract @Nullable String getIdAttribute();

  public abstract @Nullable String getTimestampAttribute();

  public abstract @Nullable PubsubClient.PubsubClientFactory getClientFactory();

  public abstract @Nullable Clock getTestClock();

  abstract Builder toBuilder();

  public static ReadPubsubEvents create() {
    return new AutoValue_ReadPubsubEvents.Builder().build();
  }

  /** Reads {@code projects/<project>/subscriptions/<name>}. */
  public ReadPubsubEvents withSubscription(String subscription) {
    return toBuilder().setSubscription(subscription).build();
  }

  /** Reads {@code projects/<project>/topics/<name>} through a subscription Beam creates. */
  public ReadPubsubEvents withTopic(String topic) {
    return toBuilder().setTopic(topic).build();
  }

  /**
   * The attribute holding a unique id per message: Pub/Sub redeliveries and publisher retries with
   * the same id are then dropped by PubsubIO (best effort without it).
   */
  public ReadPubsubEvents withIdAttribute(String idAttribute) {
    return toBuilder().setIdAttribute(idAttribute).build();
  }

  /**
   * The attribute holding each message's time (epoch milliseconds or RFC 3339): the receipt time
   * and the watermark follow it instead of the publish time.
   */
  public ReadPubsubEvents withTimestampAttribute(String timestampAttribute) {
    return toBuilder().setTimestampAttribute(timestampAttribute).build();
  }

  /** The Pub/Sub client PubsubIO uses (its JSON client unless set), e.g. a test client. */
  public ReadPubsubEvents withClientFactory(PubsubClient.PubsubClientFactory clientFactory) {
    return toBuilder().setClientFactory(clientFactory).build();
  }

  /**
   * For tests: the clock PubsubIO pulls by, which Beam's {@link PubsubTestClient} must share; only
   * with a {@link PubsubTestClient.PubsubTestClientFactory}.
   */
  public ReadPubsubEvents withTestClock(Clock clock) {
    return toBuilder().setTestClock(clock).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSubscription(String subscription);

    abstract Builder setTopic(String topic);

    abstract Builder setIdAttribute(String idAttribute);

    abstract Builder setTimestampAttribute(String timestampAttribute);

    abstract Builder setClientFactory(PubsubClient.PubsubClientFactory clientFactory);

    abstract Builder setTestClock(Clock clock);

    abstract ReadPubsubEvents build();
  }

  @Override
  public PCollection<RawEvent> expand(PBegin begin) {
    checkArgument(
        (getSubscription() == null) != (getTopic() == null),
        "ReadPubsubEvents reads one subscription or one topic: call withSubscription(path) or"
            + " withTopic(path), not both");
    checkArgument(
        getTestClock() == null
            || getClientFactory() instanceof PubsubTestClient.PubsubTestClientFactory,
        "ReadPubsubEvents: withTestClock(clock) needs withClientFactory(a PubsubTestClient factory)");
    String source = getSubscription() != null ? getSubscription() : getTopic();
    PubsubIO.Read<PubsubMessage> read = PubsubIO.readMessagesWithAttributesAndMessageId();
    read = getSubscription() != null ? read.fromSubscription(source) : read.fromTopic(source);
    if (getIdAttribute() != null) {
      read = read.withIdAttribute(getIdAttribute());
    }
    if (getTimestampAttribute() != null) {
      read = read.withTimestampAttribute(getTimestampAttribute());
    }
    if (getClientFactory() != null) {
      read = read.withClientFactory(getClientFactory());
    }
    if (getTestClock() != null) {
      read = ((PubsubTestClient.PubsubTestClientFactory) getClientFactory()).setClock(read, getTestClock());
    }
    return begin
        .apply("ReadMessages", read)
        .apply("ToRawEvents", ParDo.of(new PubsubToRawEventFn("pubsub:" + source)));
  }
}
