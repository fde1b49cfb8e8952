package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The MQTT sink against the real Mosquitto on 127.0.0.1:1883: payloads as received at QoS 1, and
 * 503 while the broker cannot be reached (through a relay that is taken down and brought back).
 */
@RunWith(JUnit4.class)
public class MqttSinkTest {
  private static final int MOSQUITTO = 1883;

  @Rule public final CollectorFixture c = new CollectorFixture();

  private final String topic = "railyard-test/collector/" + UUID.randomUUID();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private MqttClient subscriber;

  @Before
  public void subscribe() throws Exception {
    subscriber = new MqttClient("tcp://127.0.0.1:" + MOSQUITTO, "collector-test-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    subscriber.connect(options);
    subscriber.subscribe(topic, 1, (t, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
  }

  @After
  public void unsubscribe() throws Exception {
    subscriber.disconnect();
    subscriber.close();
  }

  @Test
  public void eachEventIsOneMessageWithItsBytesAsReceived() throws Exception {
    try (Collector mqtt = Collector.start(c.config("--sink=mqtt", "--mqttBroker=tcp://127.0.0.1:" + MOSQUITTO, "--mqttTopic=" + topic))) {
      HttpResponse<String> response = c.postTo(mqtt, "application/x-ndjson", "{\"id\":1}\n{ \"id\" : 2 }\n");

      assertThat(response.statusCode(), is(202));
      awaitReceived(2);
      assertThat(received, contains("{\"id\":1}", "{ \"id\" : 2 }"));
    }
  }

  @Test
  public void whileTheBrokerIsUnreachableRequestsAre503AndAfterwardsAccepted() throws Exception {
    try (TcpRelay relay = new TcpRelay(MOSQUITTO);
        Collector mqtt = Collector.start(c.config("--sink=mqtt", "--mqttBroker=tcp://127.0.0.1:" + relay.port(),
            "--mqttTopic=" + topic, "--sinkTimeoutMillis=3000"))) {
      assertThat(c.postTo(mqtt, "application/x-ndjson", "{\"id\":\"before\"}").statusCode(), is(202));

      relay.down();
      HttpResponse<String> down = c.untilStatus(mqtt, 503, "{\"id\":\"during\"}", 30);
      assertThat(down.headers().firstValue("Retry-After").isPresent(), is(true));
      assertThat(c.healthOf(mqtt), is(503));

      relay.up();
      c.untilStatus(mqtt, 202, "{\"id\":\"after\"}", 30);
      assertThat(c.healthOf(mqtt), is(200));
      awaitReceived(2);
      assertThat(received, contains("{\"id\":\"before\"}", "{\"id\":\"after\"}"));
    }
  }

  @Test
  public void aBrokerThatIsNotThereAtStartIsRefusedWith503() throws Exception {
    try (TcpRelay relay = new TcpRelay(MOSQUITTO)) {
      int closedPort = relay.port();
      relay.down();
      try (Collector mqtt = Collector.start(c.config("--sink=mqtt", "--mqttBroker=tcp://127.0.0.1:" + closedPort, "--mqttTopic=" + topic))) {
        assertThat(c.postTo(mqtt, "application/x-ndjson", "{\"id\":1}").statusCode(), is(503));
        assertThat(c.healthOf(mqtt), is(503));
      }
    }
  }

  private void awaitReceived(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }



}
