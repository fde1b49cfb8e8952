package railyard.io.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.model.RawEvent;

/**
 * Publishes each event's payload, as received, to one MQTT topic at QoS 1; a write completes when
 * the broker has acknowledged (PUBACK) every message. MQTT 3.1.1 messages carry no headers, so
 * the attributes and receipt time do not travel (the MQTT source records {@code mqtt:<topic>} and
 * its own receipt time). The sink reconnects by itself, once a second, while the broker is away.
 */
public final class MqttSink implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSink.class);

  private final String broker;
  private final String topic;
  private final long timeoutMillis;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private final ScheduledExecutorService reconnect;
  private volatile boolean closed;

  public MqttSink(String broker, String topic, long timeoutMillis) {
    this.broker = broker;
    this.topic = topic;
    this.timeoutMillis = timeoutMillis;
    try {
      this.client =
          new MqttAsyncClient(
              broker, "railyard-collector-" + UUID.randomUUID(), new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("--mqttBroker " + broker + ": " + e.getMessage(), e);
    }
    this.options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setConnectionTimeout(3);
    options.setKeepAliveInterval(10);
    options.setMaxInflight(10_000);
    connectIfDown();
    this.reconnect = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mqtt-sink-reconnect");
      t.setDaemon(true);
      return t;
    });
    reconnect.scheduleWithFixedDelay(this::connectIfDown, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public CompletableFuture<Void> write(List<RawEvent> events) {
    List<CompletableFuture<Void>> acks = new ArrayList<>(events.size());
    try {
      for (RawEvent event : events) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        MqttMessage message = new MqttMessage(event.payload());
        message.setQos(1);
        client.publish(topic, message, null, new IMqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            ack.complete(null);
          }

          @Override
          public void onFailure(IMqttToken token, Throwable error) {
            ack.completeExceptionally(error);
          }
        });
        acks.add(ack);
      }
    } catch (MqttException | RuntimeException e) {
      acks.add(CompletableFuture.failedFuture(e));
    }
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public boolean isUp() {
    return !closed && client.isConnected();
  }

  @Override
  public String describe() {
    return "mqtt " + broker + " topic " + topic;
  }

  @Override
  public synchronized void close() {
    closed = true;
    reconnect.shutdownNow();
    try {
      if (client.isConnected()) {
        client.disconnect(timeoutMillis).waitForCompletion(timeoutMillis);
      }
      client.close();
    } catch (MqttException e) {
      LOG.warn("mqtt sink: closing: {}", e.toString());
    }
  }

  private synchronized void connectIfDown() {
    if (closed || client.isConnected()) {
      return;
    }
    try {
      client.connect(options).waitForCompletion(4000);
      LOG.info("mqtt sink: connected to {}", broker);
    } catch (MqttException e) {
      LOG.debug("mqtt sink: {} not reachable: {}", broker, e.toString());
    }
  }
}
