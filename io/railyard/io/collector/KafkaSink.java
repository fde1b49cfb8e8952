package railyard.io.collector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.model.RawEvent;

/**
 * Publishes each event to a Kafka topic with an idempotent producer ({@code acks=all}); a write
 * completes when the broker has acknowledged every record. The record value is the payload as
 * received, its timestamp the receipt time; the attributes travel as headers, plus {@value
 * #SOURCE_HEADER}. A background probe (every second) tells whether the cluster answers; after a
 * failed send the producer is replaced, so a broker that comes back is used again.
 */
public final class KafkaSink implements EventSink {
  static final String SOURCE_HEADER = "railyard.source";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

  private final String bootstrap;
  private final String topic;
  private final long timeoutMillis;
  private final Admin admin;
  private final ScheduledExecutorService probe;
  private Producer<byte[], byte[]> producer;
  private volatile boolean up;
  private volatile boolean closed;

  public KafkaSink(String bootstrap, String topic, long timeoutMillis) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.timeoutMillis = timeoutMillis;
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    adminProps.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    this.admin = Admin.create(adminProps);
    this.producer = newProducer();
    checkCluster();
    this.probe = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kafka-sink-probe"));
    probe.scheduleWithFixedDelay(this::checkCluster, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public CompletableFuture<Void> write(List<RawEvent> events) {
    Producer<byte[], byte[]> current = currentProducer();
    List<CompletableFuture<Void>> acks = new ArrayList<>(events.size());
    try {
      for (RawEvent event : events) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        current.send(
            record(event),
            (metadata, error) -> {
              if (error == null) {
                ack.complete(null);
              } else {
                ack.completeExceptionally(error);
              }
            });
        acks.add(ack);
      }
    } catch (RuntimeException e) {
      acks.add(CompletableFuture.failedFuture(e));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
    all.whenComplete((ok, error) -> {
      if (error != null) {
        up = false;
        replace(current, error);
      }
    });
    return all;
  }

  @Override
  public boolean isUp() {
    return up && !closed;
  }

  @Override
  public String describe() {
    return "kafka " + bootstrap + " topic " + topic;
  }

  @Override
  public synchronized void close() {
    closed = true;
    probe.shutdownNow();
    producer.close(Duration.ofMillis(timeoutMillis));
    admin.close(Duration.ofSeconds(2));
  }

  private ProducerRecord<byte[], byte[]> record(RawEvent event) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(SOURCE_HEADER, event.source().getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
      headers.add(attribute.getKey(), attribute.getValue().getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(topic, null, event.receivedAt(), null, event.payload(), headers);
  }

  private synchronized Producer<byte[], byte[]> currentProducer() {
    return producer;
  }

  private synchronized void replace(Producer<byte[], byte[]> failed, Throwable cause) {
    if (closed || producer != failed) {
      return;
    }
    LOG.warn("kafka send failed ({}); starting a new producer", cause.toString());
    producer = newProducer();
    // Closing waits for the failed producer's callbacks, which may run on its own thread.
    Thread closer = new Thread(() -> failed.close(Duration.ZERO), "kafka-sink-close");
    closer.setDaemon(true);
    closer.start();
  }

  private Producer<byte[], byte[]> newProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeoutMillis, 5000));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMillis, 5000));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeoutMillis, 5010));
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(props);
  }

  private void checkCluster() {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
          .nodes()
          .get(3, TimeUnit.SECONDS);
      up = true;
    } catch (Exception e) {
      up = false;
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
