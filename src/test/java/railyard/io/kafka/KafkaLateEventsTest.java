package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.pipelines.FileImportSpecs;

/**
 * Year-old events (accepted by {@code allowedSkew}) produced to Kafka once a streaming job on Flink
 * has caught up, its watermark at the clock, reach the warehouse like any other.
 */
@RunWith(JUnit4.class)
public class KafkaLateEventsTest {
  private static final Duration WAIT = Duration.standardMinutes(4);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static ProducerRecord<byte[], byte[]> record(String topic, String id, Instant ts) {
    String json = "{\"id\":\"" + id + "\",\"shop\":\"north\",\"total\":1.5,\"ts\":\"" + ts + "\"}";
    return new ProducerRecord<>(
        topic, 0, System.currentTimeMillis(), null, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void yearOldEventsProducedAfterTheWatermarkMovedOnReachTheWarehouse() throws Exception {
    KafkaBroker.ensureRunning();
    String topic = KafkaBroker.newTopic("late", 1);
    Path spec = folder.getRoot().toPath().resolve("late.yaml");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "name: kafka_late",
            "source:",
            "  type: kafka",
            "  kafka: {bootstrapServers: \"" + KafkaBroker.BOOTSTRAP + "\", topics: [" + topic
                + "], group: " + topic + "}",
            FileImportSpecs.ordersSchema("400d"),
            ""));
    Path out = folder.newFolder("out").toPath();
    JobOutputs outputs = new JobOutputs(out);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant yearAgo = now.minus(365, ChronoUnit.DAYS);

    PipelineResult job = KafkaJobRun.start(spec, out);
    try {
      KafkaBroker.produce(List.of(record(topic, "r1", now), record(topic, "r2", now)));
      assertThat(
          "the recent events reach the warehouse",
          KafkaJobRun.await(
              WAIT, () -> Set.copyOf(outputs.warehouseValues("_event_id")).size() == 2),
          is(true));

      KafkaBroker.produce(
          List.of(record(topic, "o1", yearAgo), record(topic, "o2", yearAgo.plusSeconds(60))));
      assertThat(
          "the year-old events reach the warehouse",
          KafkaJobRun.await(WAIT, () -> outputs.warehouseValues("_event_id").size() == 4),
          is(true));
    } finally {
      job.cancel();
    }
    assertThat(outputs.warehouseValues("_event_id"), containsInAnyOrder("r1", "r2", "o1", "o2"));
  }
}
