package railyard.spec;

import java.io.Serializable;
import java.util.List;
import javax.annotation.Nullable;

/**
 * A Pub/Sub source: {@code source: {type: pubsub, pubsub: {subscription | topic, idAttribute,
 * timestampAttribute}}}. Exactly one of subscription and topic is set.
 *
 * @param subscription {@code projects/<project>/subscriptions/<name>}
 * @param topic {@code projects/<project>/topics/<name>}; Beam then makes a subscription of its own
 * @param idAttribute the attribute carrying a unique id, for Pub/Sub-level deduplication
 * @param timestampAttribute the attribute carrying the event's timestamp, else the publish time
 */
public record PubsubSourceSpec(
    @Nullable String subscription,
    @Nullable String topic,
    @Nullable String idAttribute,
    @Nullable String timestampAttribute)
    implements Serializable {

  /** Reads a spec's {@code source.pubsub} block. */
  static PubsubSourceSpec read(SpecNode node) {
    node.mapping(List.of("subscription", "topic", "idAttribute", "timestampAttribute"));
    String subscription = node.get("subscription").orNull(SpecNode::location);
    String topic = node.get("topic").orNull(SpecNode::location);
    if ((subscription == null) == (topic == null)) {
      throw node.fail("give one of subscription and topic");
    }
    if (subscription != null && !subscription.matches("projects/[^/]+/subscriptions/[^/]+")) {
      throw node.get("subscription")
          .fail("'" + subscription + "' is not projects/<project>/subscriptions/<name>");
    }
    if (topic != null && !topic.matches("projects/[^/]+/topics/[^/]+")) {
      throw node.get("topic").fail("'" + topic + "' is not projects/<project>/topics/<name>");
    }
    return new PubsubSourceSpec(
        subscription,
        topic,
        node.get("idAttribute").orNull(SpecNode::location),
        node.get("timestampAttribute").orNull(SpecNode::location));
  }
}
