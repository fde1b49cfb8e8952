package railyard.io.pubsub;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.DoFn;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/**
 * One Pub/Sub message as a raw event. PubsubIO stamps each message with its publish time, or with
 * the timestamp attribute's time where one is configured: that is the receipt time.
 */
final class PubsubToRawEventFn extends DoFn<PubsubMessage, RawEvent> {
  static final String MESSAGE_ID = "pubsub.messageId";

  private final String source;

  PubsubToRawEventFn(String source) {
    this.source = source;
  }

  @ProcessElement
  public void process(
      @Element PubsubMessage message, @Timestamp Instant receivedAt, OutputReceiver<RawEvent> out) {
    out.output(toRawEvent(source, message, receivedAt));
  }

  static RawEvent toRawEvent(String source, PubsubMessage message, Instant receivedAt) {
    Map<String, String> attributes = new HashMap<>();
    if (message.getAttributeMap() != null) {
      attributes.putAll(message.getAttributeMap());
    }
    if (message.getMessageId() != null) {
      attributes.put(MESSAGE_ID, message.getMessageId());
    }
    return new RawEvent(source, receivedAt.getMillis(), message.getPayload(), attributes);
  }
}
