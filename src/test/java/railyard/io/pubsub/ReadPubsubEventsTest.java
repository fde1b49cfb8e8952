package railyard.io.pubsub;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import com.google.api.client.util.Clock;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient.IncomingMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubTestClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubTestClient.PubsubTestClientFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/**
 * The whole PubsubIO read path (its unbounded source, pulls, acks, record-id deduplication) against
 * Beam's in-process {@link PubsubTestClient}: no Google service is contacted. What the test client
 * cannot show — reading the timestamp and id attributes out of real messages, topic reads — is
 * PubsubIO's own work, configured here by construction.
 */
@RunWith(JUnit4.class)
public class ReadPubsubEventsTest {
  private static final String SUBSCRIPTION = "projects/railyard-test/subscriptions/events";
  private static final Clock CLOCK = (Clock & Serializable) () -> 1_000_000L;

  @Rule public final transient TestPipeline pipeline = TestPipeline.fromOptions(options());

  private PubsubTestClientFactory clientFactory;

  private static PipelineOptions options() {
    PipelineOptions options = TestPipeline.testingPipelineOptions();
    options.as(PubsubOptions.class).setProject("railyard-test"); // never looked up
    return options;
  }

  @After
  public void checkEveryMessageWasAcknowledged() throws IOException {
    if (clientFactory != null) {
      clientFactory.close();
    }
  }

  /**
   * The record id is what PubsubIO's clients derive: the id attribute's value where the message
   * has one, else the Pub/Sub message id; PubsubIO reports that record id as the message id.
   */
  @Test
  public void aMessageBecomesARawEventWithItsBytesAttributesIdAndPublishTime() {
    byte[] data = {'{', '"', 'a', '"', ':', (byte) 0xC3, '(', '}', 0};
    clientFactory =
        pull(
            message(data, Map.of("event_id", "e-1"), "m-1", 1_700_000_000_123L, "e-1"),
            message(bytes("{}"), Map.of(), "m-2", 1_700_000_001_000L, "m-2"));

    PCollection<RawEvent> events =
        pipeline.apply(
            ReadPubsubEvents.create()
                .withSubscription(SUBSCRIPTION)
                .withIdAttribute("event_id")
                .withTimestampAttribute("ts")
                .withClientFactory(clientFactory)
                .withTestClock(CLOCK));

    String source = "pubsub:" + SUBSCRIPTION;
    PAssert.that(events)
        .containsInAnyOrder(
            new RawEvent(
                source,
                1_700_000_000_123L,
                data,
                Map.of("event_id", "e-1", "pubsub.messageId", "e-1")),
            new RawEvent(
                source, 1_700_000_001_000L, bytes("{}"), Map.of("pubsub.messageId", "m-2")));
    pipeline.run();
  }

  @Test
  public void aRedeliveredMessageIsReadOnce() {
    clientFactory =
        pull(
            message(bytes("{\"n\":1}"), Map.of(), "m-1", 1_700_000_000_000L, "m-1"),
            message(bytes("{\"n\":1}"), Map.of(), "m-1", 1_700_000_000_000L, "m-1"));

    PCollection<RawEvent> events =
        pipeline.apply(
            ReadPubsubEvents.create()
                .withSubscription(SUBSCRIPTION)
                .withClientFactory(clientFactory)
                .withTestClock(CLOCK));

    PAssert.that(events)
        .containsInAnyOrder(
            new RawEvent(
                "pubsub:" + SUBSCRIPTION,
                1_700_000_000_000L,
                bytes("{\"n\":1}"),
                Map.of("pubsub.messageId", "m-1")));
    pipeline.run();
  }

  @Test
  public void theTimestampAttributesTimeIsTheReceiptTime() {
    // PubsubIO reads the attribute and stamps the element; the conversion takes that stamp.
    PubsubMessage message =
        new PubsubMessage(bytes("{}"), Map.of("ts", "2026-01-01T00:00:00Z"), "m-9");
    RawEvent event =
        PubsubToRawEventFn.toRawEvent(
            "pubsub:projects/p/topics/t", message, Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(
        event,
        org.hamcrest.Matchers.equalTo(
            new RawEvent(
                "pubsub:projects/p/topics/t",
                Instant.parse("2026-01-01T00:00:00Z").getMillis(),
                bytes("{}"),
                Map.of("ts", "2026-01-01T00:00:00Z", "pubsub.messageId", "m-9"))));
  }

  @Test
  public void subscriptionAndTopicTogetherAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadPubsubEvents.create()
                        .withSubscription(SUBSCRIPTION)
                        .withTopic("projects/p/topics/t")));
    assertThat(e.getMessage(), containsString("call withSubscription(path) or withTopic(path)"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  private PubsubTestClientFactory pull(IncomingMessage... messages) {
    return PubsubTestClient.createFactoryForPull(
        CLOCK, PubsubClient.subscriptionPathFromPath(SUBSCRIPTION), 60, List.of(messages));
  }

  private static IncomingMessage message(
      byte[] data, Map<String, String> attributes, String messageId, long publishedAt, String recordId) {
    return IncomingMessage.of(
        com.google.pubsub.v1.PubsubMessage.newBuilder()
            .setData(ByteString.copyFrom(data))
            .putAllAttributes(attributes)
            .setMessageId(messageId)
            .build(),
        publishedAt,
        0,
        "ack-" + recordId + "-" + messageId + "-" + System.nanoTime(),
        recordId);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
