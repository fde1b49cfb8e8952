package railyard.io.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/**
 * Reads from the real Mosquitto broker on 127.0.0.1:1883. MqttIO's read never ends by itself, so
 * these tests bound it with {@code withMaxNumRecords(1)}; the message is published again until the
 * reader (whose clean session misses anything sent before it subscribed) has taken one.
 */
@RunWith(JUnit4.class)
public class ReadMqttEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void aPublishedMessageArrivesWithItsBytesAndTopicUnderAWildcard() throws Exception {
    String root = "railyard-test/" + UUID.randomUUID();
    String topic = root + "/sensors/s1";
    byte[] payload = {'{', '"', 't', '"', ':', '"', (byte) 0xC3, '(', '"', '}', '\r', '\n', 0};
    long before = System.currentTimeMillis();

    PCollection<RawEvent> events =
        pipeline.apply(
            ReadMqttEvents.create()
                .withServerUri(MqttPublisher.BROKER)
                .withTopics(List.of(root + "/#"))
                .withClientId("railyard-test")
                .withMaxNumRecords(1));

    PAssert.thatSingleton(events)
        .satisfies(
            event -> {
              assertThat(event.payload(), equalTo(payload));
              assertThat(event.source(), equalTo("mqtt:" + topic));
              assertThat(event.attributes(), equalTo(Map.of("mqtt.topic", topic)));
              assertThat(
                  event.receivedAt(),
                  allOf(
                      greaterThanOrEqualTo(before),
                      lessThanOrEqualTo(System.currentTimeMillis())));
              return null;
            });
    try (MqttPublisher publisher = MqttPublisher.repeatedly(topic, payload, 250)) {
      pipeline.run().waitUntilFinish();
    }
  }

  @Test
  public void readsSeveralTopicFiltersWithASingleLevelWildcard() throws Exception {
    String root = "railyard-test/" + UUID.randomUUID();
    byte[] first = "{\"n\":1}".getBytes();
    byte[] second = "{\"n\":2}".getBytes();

    PCollection<RawEvent> events =
        pipeline.apply(
            ReadMqttEvents.create()
                .withServerUri(MqttPublisher.BROKER)
                .withTopics(List.of(root + "/a/+", root + "/b/+"))
                .withClientId("railyard-test")
                .withMaxNumRecords(1));

    PAssert.that(events)
        .satisfies(
            all -> {
              java.util.Set<String> sources = new java.util.TreeSet<>();
              all.forEach(e -> sources.add(e.source()));
              assertThat(sources, equalTo(
                  new java.util.TreeSet<>(List.of("mqtt:" + root + "/a/x", "mqtt:" + root + "/b/y"))));
              return null;
            });
    try (MqttPublisher a = MqttPublisher.repeatedly(root + "/a/x", first, 250);
        MqttPublisher b = MqttPublisher.repeatedly(root + "/b/y", second, 250)) {
      pipeline.run().waitUntilFinish();
    }
  }

  @Test
  public void aClientIdTooLongForMqttIosSuffixIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadMqttEvents.create()
                        .withServerUri(MqttPublisher.BROKER)
                        .withTopics(List.of("railyard/#"))
                        .withClientId("a-very-long-client-id")));
    assertThat(e.getMessage(), containsString("withClientId(\"a-very-long-client-id\") must have 1 to 14"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void withoutTopicsItSaysWhatToCall() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadMqttEvents.create()
                        .withServerUri(MqttPublisher.BROKER)
                        .withClientId("railyard")));
    assertThat(e.getMessage(), containsString("call withTopics("));
    pipeline.enableAbandonedNodeEnforcement(false);
  }
}
