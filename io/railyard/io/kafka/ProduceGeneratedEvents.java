package railyard.io.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import railyard.io.generator.EventGenerator;
import railyard.model.RawEvent;

/**
 * Sends a generator's events to a Kafka topic, for the demo and the tests: each record's value is
 * the event's payload, its timestamp the event's receipt time, and it has no key. Records with old
 * timestamps fall under the topic's time-based retention (7 days by default): generate recent ones.
 */
public final class ProduceGeneratedEvents {
  private ProduceGeneratedEvents() {}

  /** Sends events {@code [from, to)} and returns once the broker has acknowledged all of them. */
  public static void produce(
      EventGenerator generator, long from, long to, String bootstrapServers, String topic)
      throws ExecutionException, InterruptedException {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (long i = from; i < to; i++) {
        RawEvent event = generator.event(i);
        sent.add(
            producer.send(
                new ProducerRecord<>(topic, null, event.receivedAt(), null, event.payload())));
      }
      for (Future<RecordMetadata> ack : sent) {
        ack.get();
      }
    }
  }
}
