package railyard.io.alerts;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import railyard.model.Alert;

/**
 * Produces each alert's JSON to a topic, keyed by the incident id so an incident's open and
 * resolve land in one partition, in order. The producer is idempotent and retries on its own; a
 * send not acknowledged within the delivery timeout fails the alert.
 */
final class KafkaAlertSink implements AlertSink {
  private static final long DELIVERY_TIMEOUT_MS = 60_000;

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  KafkaAlertSink(String bootstrapServers, String topic) {
    this.topic = topic;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT_MS,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000L),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public void deliver(Alert alert) throws AlertDeliveryException {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  alert.id().getBytes(StandardCharsets.UTF_8),
                  AlertJson.text(alert).getBytes(StandardCharsets.UTF_8)))
          .get(DELIVERY_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new AlertDeliveryException("Kafka topic " + topic + " did not take the alert: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AlertDeliveryException("interrupted producing to " + topic, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
