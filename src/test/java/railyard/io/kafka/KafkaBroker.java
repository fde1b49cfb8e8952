package railyard.io.kafka;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The local test broker ({@code services/kafka/start}, 127.0.0.1:9092): started if it does not
 * answer, fresh topics for each test, a producer and the group offsets a job committed. Only ever
 * talks to loopback.
 */
public final class KafkaBroker {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = Integer.getInteger("kafka.port", 9092);
  public static final String BOOTSTRAP = HOST + ":" + PORT;

  private KafkaBroker() {}

  /** Starts the broker with {@code services/kafka/start} unless it already answers. */
  public static synchronized void ensureRunning() throws IOException, InterruptedException {
    if (answers()) {
      return;
    }
    Process start =
        new ProcessBuilder("services/kafka/start")
            .directory(new File(System.getProperty("user.dir")))
            .inheritIO()
            .start();
    if (!start.waitFor(5, TimeUnit.MINUTES) || start.exitValue() != 0 || !answers()) {
      throw new IllegalStateException(
          "services/kafka/start did not bring up a broker on " + BOOTSTRAP + "; see its output");
    }
  }

  private static boolean answers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A new topic with a name no other test or run uses. */
  public static String newTopic(String prefix, int partitions) throws Exception {
    String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(BOOTSTRAP, topic, partitions);
    return topic;
  }

  /**
   * Creates {@code topic} on the broker at {@code bootstrap} and returns once that broker leads
   * every partition. A producer that writes sooner is refused (NOT_LEADER_OR_FOLLOWER), and an
   * idempotent one can then retry its first batch for ever, out of sequence behind later ones.
   */
  public static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!ledEverywhere(admin, topic)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(topic + " still has a partition without a leader after 30 s");
        }
        Thread.sleep(50);
      }
    }
  }

  private static boolean ledEverywhere(Admin admin, String topic) throws InterruptedException {
    try {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      return description.partitions().stream()
          .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
    } catch (ExecutionException notKnownYet) {
      return false;
    }
  }

  /** Offsets {@code group} has committed, by partition (the next offset it will read). */
  public static Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group)
      throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }
  }

  /** How many records of its topics {@code group} has committed as read. */
  public static long committedRecords(String group) throws Exception {
    return committedOffsets(group).values().stream()
        .filter(Objects::nonNull)
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  /** An idempotent producer of byte-array records; close it when done. */
  public static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(props);
  }

  /** Sends {@code records} and waits until the broker has acknowledged every one. */
  public static void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      List<Future<?>> sent = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(record));
      }
      for (Future<?> future : sent) {
        future.get();
      }
    }
  }

  private static Admin admin() {
    return admin(BOOTSTRAP);
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }
}
