package railyard.io.mqtt;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fusesource.mqtt.client.BlockingConnection;
import org.fusesource.mqtt.client.MQTT;
import org.fusesource.mqtt.client.QoS;

/**
 * Publishes to the local Mosquitto broker (127.0.0.1:1883) the way a device would: with the {@code
 * mosquitto_pub} command where it is installed, else with the fusesource client. A job's first
 * session misses what was published before it subscribed; tests therefore publish again and again
 * in the background until the pipeline has what it needs.
 */
public final class MqttPublisher implements AutoCloseable {
  public static final String BROKER = "tcp://127.0.0.1:1883";

  private final Thread thread;
  private final AtomicInteger published = new AtomicInteger();
  private volatile boolean stopped;

  private MqttPublisher(String topic, byte[] payload, long everyMillis) {
    thread =
        new Thread(
            () -> {
              while (!stopped) {
                try {
                  publish(topic, payload);
                  published.incrementAndGet();
                  Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              }
            },
            "mqtt-publisher");
    thread.setDaemon(true);
  }

  /** Starts publishing {@code payload} to {@code topic} every {@code everyMillis} until closed. */
  public static MqttPublisher repeatedly(String topic, byte[] payload, long everyMillis) {
    MqttPublisher publisher = new MqttPublisher(topic, payload, everyMillis);
    publisher.thread.start();
    return publisher;
  }

  public int published() {
    return published.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
  }

  /** One message, QoS 1, not retained. */
  public static void publish(String topic, byte[] payload) throws Exception {
    if (mosquittoPubInstalled()) {
      Path file = Files.createTempFile("railyard-mqtt", ".bin");
      try {
        Files.write(file, payload);
        Process process =
            new ProcessBuilder(
                    "mosquitto_pub", "-h", "127.0.0.1", "-p", "1883", "-q", "1", "-t", topic,
                    "-f", file.toString())
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IOException(
              "mosquitto_pub failed: " + new String(process.getInputStream().readAllBytes()));
        }
      } finally {
        Files.deleteIfExists(file);
      }
    } else {
      MQTT client = new MQTT();
      client.setHost(BROKER);
      BlockingConnection connection = client.blockingConnection();
      connection.connect();
      try {
        connection.publish(topic, payload, QoS.AT_LEAST_ONCE, false);
      } finally {
        connection.disconnect();
      }
    }
  }

  private static boolean mosquittoPubInstalled() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, "mosquitto_pub").canExecute()) {
        return true;
      }
    }
    return false;
  }
}
