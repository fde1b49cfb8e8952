package railyard.io.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/**
 * Reads from the real Mosquitto broker on 127.0.0.1:1883. The read never ends by itself, so these
 * tests bound it with {@code withMaxNumRecords(1)}; the message is published again until the
 * reader (whose new session misses anything sent before it first subscribed) has taken one. Each
 * test has a client id of its own, as each job must.
 */
@RunWith(JUnit4.class)
public class ReadMqttEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder lake = new TemporaryFolder();

  private static String newClientId() {
    return "rt-" + UUID.randomUUID().toString().substring(0, 8);
  }

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
                .withClientId(newClientId())
                .withLake(lake.getRoot().getPath(), "test")
                .withMaxNumRecords(1));

    PAssert.thatSingleton(events)
        .satisfies(
            event -> {
              assertThat(event.payload(), equalTo(payload));
              assertThat(event.source(), equalTo("mqtt:" + topic));
              assertThat(event.attributes().get("mqtt.topic"), equalTo(topic));
              assertThat(event.attributes().keySet(), equalTo(Set.of("mqtt.topic", "mqtt.messageId")));
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
                .withClientId(newClientId())
                .withLake(lake.getRoot().getPath(), "test")
                .withMaxNumRecords(20)); // one client for both filters: enough for each publisher's copies

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
  public void aClientIdLongerThanMqttGuaranteesIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadMqttEvents.create()
                        .withServerUri(MqttPublisher.BROKER)
                        .withTopics(List.of("railyard/#"))
                        .withClientId("a-client-id-of-24-charsx")
                        .withLake(lake.getRoot().getPath(), "test")));
    assertThat(
        e.getMessage(),
        containsString("withClientId(\"a-client-id-of-24-charsx\") must have 1 to 23 letters"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void withoutALakeItSaysWhatToCall() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadMqttEvents.create()
                        .withServerUri(MqttPublisher.BROKER)
                        .withTopics(List.of("railyard/#"))
                        .withClientId("railyard")));
    assertThat(e.getMessage(), containsString("call withLake(root, pipelineName)"));
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
