package railyard.io.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * A broker that refuses anonymous clients (a second Mosquitto with a password file, started here on
 * a free loopback port) is read with a user's credentials, and refuses a wrong password.
 */
@RunWith(JUnit4.class)
public class MqttCredentialsTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private ReadMqttEvents read(PrivateMosquitto broker, String filter) throws Exception {
    return ReadMqttEvents.create()
        .withServerUri(broker.uri())
        .withTopics(List.of(filter))
        .withClientId("railyard-auth")
        .withLake(tmp.newFolder().getPath(), "test")
        .withMaxNumRecords(1);
  }

  @Test(timeout = 120_000)
  public void aBrokerThatRefusesAnonymousClientsIsReadWithAUsersCredentials() throws Exception {
    String topic = "railyard-test/" + UUID.randomUUID() + "/line-1";
    byte[] payload = "{\"id\":\"a1\"}".getBytes(StandardCharsets.UTF_8);
    try (PrivateMosquitto broker = PrivateMosquitto.withPassword(tmp.getRoot().toPath())) {
      PCollection<RawEvent> events =
          pipeline.apply(
              read(broker, topic).withCredentials(PrivateMosquitto.USER, PrivateMosquitto.PASSWORD));

      PAssert.thatSingleton(events)
          .satisfies(
              event -> {
                assertThat(event.payload(), equalTo(payload));
                assertThat(event.source(), equalTo("mqtt:" + topic));
                return null;
              });
      try (AutoCloseable publisher = broker.publishRepeatedly(topic, payload, null, 250)) {
        pipeline.run().waitUntilFinish();
      }
    }
  }

  @Test(timeout = 120_000)
  public void aWrongPasswordFailsTheRunWithTheBrokersRefusal() throws Exception {
    try (PrivateMosquitto broker = PrivateMosquitto.withPassword(tmp.getRoot().toPath())) {
      pipeline.apply(
          read(broker, "railyard-test/#").withCredentials(PrivateMosquitto.USER, "not the password"));

      Exception refused = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());

      assertThat(causes(refused), containsString("Not authorized. (reason code 135)"));
    }
  }

  @Test(timeout = 120_000)
  public void withoutCredentialsSuchABrokerRefusesTheRun() throws Exception {
    try (PrivateMosquitto broker = PrivateMosquitto.withPassword(tmp.getRoot().toPath())) {
      pipeline.apply(read(broker, "railyard-test/#"));

      Exception refused = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());

      assertThat(causes(refused), containsString("Not authorized. (reason code 135)"));
    }
  }

  @Test
  public void aPasswordWithoutAUserIsRefusedWhenTheReadIsBuilt() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    ReadMqttEvents.create()
                        .withServerUri("tcp://127.0.0.1:1883")
                        .withTopics(List.of("a/#"))
                        .withClientId("railyard")
                        .withLake("/tmp/lake", "test")
                        .withCredentials("", "secret")));

    assertThat(refused.getMessage(), containsString("non-empty username"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  /** Every message in the cause chain, for an error a runner wraps. */
  static String causes(Throwable error) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      messages.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }
}
