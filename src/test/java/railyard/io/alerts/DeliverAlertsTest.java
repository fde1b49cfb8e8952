package railyard.io.alerts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.kafka.KafkaBroker;
import railyard.io.serving.ServingStore;
import railyard.model.Alert;
import railyard.model.DeadLetter;

/**
 * Alerts delivered from a pipeline to every sink on real local parts: an HTTP receiver, a Kafka
 * topic on the local broker and the SQLite alerts table; failures come out as dead letters.
 */
public class DeliverAlertsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  @BeforeClass
  public static void broker() throws Exception {
    KafkaBroker.ensureRunning();
  }

  @Test
  public void eachAlertReachesEverySinkOnceEvenWhenItComesTwice() throws Exception {
    String topic = KafkaBroker.newTopic("alerts", 1);
    String store = "sqlite:" + folder.getRoot() + "/serving.db";
    Alert opened = Alerts.of("a1", Alert.Status.OPEN);
    Alert resolved = Alerts.of("a1", Alert.Status.RESOLVED);
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      AlertSinks sinks =
          AlertSinks.logOnly()
              .withStore(store)
              .withWebhook(WebhookConfig.to(receiver.url()))
              .withKafka(KafkaBroker.BOOTSTRAP, topic);

      PCollection<DeadLetter> deadLetters =
          pipeline
              .apply(Create.of(opened, opened).withCoder(Alert.AlertCoder.of()))
              .apply(DeliverAlerts.create().to(sinks));
      PAssert.that(deadLetters).empty();
      pipeline.run().waitUntilFinish();

      assertThat(
          receiver.posts().stream().map(WebhookReceiver.Post::idempotencyKey).toList(),
          contains("a1/open"));
      assertThat(consume(topic, 1), contains("a1"));
      try (ServingStore table = ServingStore.open(store)) {
        assertThat(table.openAlerts().get(0).alert(), is(opened));
        table.recordAlert(resolved, 1);
        assertThat(table.openAlerts().isEmpty(), is(true));
      }
    }
  }

  @Test
  public void anAlertTheWebhookRefusesBecomesADeadLetterNamingTheSinkAndWhy() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      receiver.answerWith(404);
      AlertSinks sinks =
          AlertSinks.logOnly()
              .withWebhook(
                  WebhookConfig.to(receiver.url())
                      .withRetries(2, Duration.ofMillis(50), Duration.ofMillis(50)));

      PCollection<DeadLetter> deadLetters =
          pipeline
              .apply(Create.of(Alerts.of("a2", Alert.Status.OPEN)).withCoder(Alert.AlertCoder.of()))
              .apply(DeliverAlerts.create().to(sinks));

      PAssert.that(deadLetters)
          .satisfies(
              letters -> {
                List<DeadLetter> all = new ArrayList<>();
                letters.forEach(all::add);
                assertThat(all.size(), is(1));
                DeadLetter letter = all.get(0);
                assertThat(letter.stage(), is(DeadLetter.Stage.SINK));
                assertThat(letter.reason(), is(DeliverAlerts.UNDELIVERABLE));
                assertThat(letter.message(), containsString("webhook: HTTP 404"));
                assertThat(letter.source(), is("alert:a2/open"));
                assertThat(letter.payloadText(), containsString("\"id\":\"a2\""));
                return null;
              });
      pipeline.run().waitUntilFinish();
    }
  }

  /** The keys of {@code count} records of {@code topic}, read from the start. */
  private static List<String> consume(String topic, int count) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.BOOTSTRAP);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "alerts-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (keys.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          keys.add(new String(record.key(), StandardCharsets.UTF_8));
        }
      }
      // One more poll: a second copy would show up here.
      consumer.poll(Duration.ofSeconds(1)).forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
    }
    return keys;
  }
}
