package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.kafka.KafkaBroker;

/**
 * The Kafka sink against a real broker of its own (services/kafka on 127.0.0.1:19092, so stopping
 * it disturbs no other test): records as received, and 503 while the broker is away.
 */
@RunWith(JUnit4.class)
public class KafkaSinkTest {
  private static final int PORT = 19092;
  private static final String BOOTSTRAP = "127.0.0.1:" + PORT;
  private static Path brokerDir;

  @Rule public final CollectorFixture c = new CollectorFixture();

  @BeforeClass
  public static void startBroker() throws Exception {
    brokerDir = Files.createTempDirectory("railyard-kafka-collector");
    broker("start");
  }

  @AfterClass
  public static void stopBroker() throws Exception {
    broker("stop");
  }

  @Test
  public void eachEventIsOneRecordWithItsBytesReceiptTimeAndAttributes() throws Exception {
    String topic = newTopic();
    try (Collector kafka = Collector.start(c.config("--sink=kafka", "--kafkaBootstrap=" + BOOTSTRAP, "--topic=" + topic))) {
      HttpResponse<String> response =
          c.postTo(kafka, "application/json", "[{\"id\":\"a\"}, { \"id\" : \"b\" }]", "X-Railyard-Tenant", "acme");

      assertThat(response.statusCode(), is(202));
      String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
      List<ConsumerRecord<byte[], byte[]>> records = consume(topic, 2);
      assertThat(
          records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList(),
          contains("{\"id\":\"a\"}", "{ \"id\" : \"b\" }"));
      assertThat(
          records.stream().map(KafkaSinkTest::headers).toList(),
          everyItem(hasEntry("request_id", requestId)));
      assertThat(headers(records.get(0)), hasEntry("railyard.source", "http"));
      assertThat(headers(records.get(0)), hasEntry("x-railyard-tenant", "acme"));
    }
  }

  @Test
  public void whileTheBrokerIsDownRequestsAre503AndAfterItIsBackTheyAreAccepted() throws Exception {
    String topic = newTopic();
    try (Collector kafka = Collector.start(c.config(
        "--sink=kafka", "--kafkaBootstrap=" + BOOTSTRAP, "--topic=" + topic, "--sinkTimeoutMillis=6000"))) {
      assertThat(c.postTo(kafka, "application/json", "{\"id\":\"before\"}").statusCode(), is(202));

      broker("stop");
      HttpResponse<String> down = c.untilStatus(kafka, 503, "{\"id\":\"during\"}", 30);
      assertThat(down.headers().firstValue("Retry-After").isPresent(), is(true));
      assertThat(c.healthOf(kafka), is(503));

      broker("start");
      c.untilStatus(kafka, 202, "{\"id\":\"after\"}", 90);
      assertThat(c.healthOf(kafka), is(200));
      List<String> values =
          consume(topic, 2).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
      assertThat(values, contains("{\"id\":\"before\"}", "{\"id\":\"after\"}"));
    }
  }

  private static String newTopic() throws Exception {
    String topic = "collector-" + UUID.randomUUID();
    KafkaBroker.createTopic(BOOTSTRAP, topic, 1);
    return topic;
  }

  private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "collector-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static void broker(String action) throws IOException, InterruptedException {
    ProcessBuilder script = new ProcessBuilder("services/kafka/" + action).inheritIO();
    script.environment().put("KAFKA_PORT", String.valueOf(PORT));
    script.environment().put("KAFKA_DIR", brokerDir.toString());
    Process process = script.start();
    if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("services/kafka/" + action + " failed for port " + PORT);
    }
  }
}
