package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Duration;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.alerts.WebhookReceiver;
import railyard.io.serving.ServingStore;
import railyard.transforms.HealthView;

/**
 * Slow (about 15 s a test): the whole streaming job on in-process Flink reads a fresh topic on the
 * local broker and posts the spec's alerts to a real webhook receiver on loopback. Minutes of
 * normal traffic, a two-minute spike of malformed records, then normal traffic again: the {@code
 * invalid_spike} rule posts exactly one opened alert, for the spike's first minute, and one
 * resolution — and nothing for the normal minutes before it. A topic that goes quiet: a {@code
 * noDataFor} rule opens once.
 *
 * <p>The records' timestamps (the receipt times) are three hours old, so once the reader has
 * caught up its watermark passes every minute and each is judged without waiting for the clock.
 */
@RunWith(JUnit4.class)
public class KafkaAlertsJobTest {
  private static final long MINUTE = 60_000;
  private static final int NORMAL_BEFORE = 8;
  private static final int SPIKE = 2;
  private static final int NORMAL_AFTER = 4;
  private static final int MINUTES = NORMAL_BEFORE + SPIKE + NORMAL_AFTER;

  private static final String ALERTS =
      """
      alerts:
        sinks:
          store: true
          webhook: {url: "%s", maxAttempts: 20, initialBackoff: 100ms, maxBackoff: 1s}
        rules:
          - %s
      """;
  private static final String INVALID_SPIKE =
      "{name: invalid_spike, metric: invalid_ratio, above: 0.2, severity: critical}";
  private static final String SILENT_SOURCE = "{name: silent_source, noDataFor: 3m}";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @BeforeClass
  public static void broker() throws Exception {
    KafkaBroker.ensureRunning();
  }

  /**
   * Each minute: 30 valid events; a normal minute has one malformed record every other minute
   * (ratio about 0.03), a spike minute 20 (ratio 0.4). Timestamps rise, so no event is late.
   */
  private static List<ProducerRecord<byte[], byte[]>> traffic(
      String topic, long start, int minutes, int spikeFrom, int spikeMinutes) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int id = 0;
    for (int m = 0; m < minutes; m++) {
      boolean spike = m >= spikeFrom && m < spikeFrom + spikeMinutes;
      int malformed = spike ? 20 : m % 2;
      int total = 30 + malformed;
      for (int i = 0; i < total; i++) {
        long receivedAt = start + m * MINUTE + 500 + i * (MINUTE - 1_000) / total;
        String payload =
            i < malformed
                ? "{\"event_id\": \"broken"
                : String.format(
                    "{\"event_id\":\"e%d\",\"user_id\":\"u%d\",\"country\":\"US\",\"amount\":1.5,"
                        + "\"ts\":\"%s\"}",
                    id++, id % 7, Instant.ofEpochMilli(receivedAt));
        records.add(
            new ProducerRecord<>(
                topic, null, receivedAt, null, payload.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return records;
  }

  /** Whole minutes starting three hours ago. */
  private static long start() {
    long threeHoursAgo = System.currentTimeMillis() - 3 * 3_600_000L;
    return threeHoursAgo - threeHoursAgo % MINUTE;
  }

  /**
   * Runs the job on {@code topic} with {@code rule} until the receiver has {@code posts} posts and
   * the store {@code minutes} on-time health rows (or 150 s pass), then a little longer; its posts.
   */
  private List<WebhookReceiver.Post> run(String topic, String rule, int posts, int minutes)
      throws Exception {
    JobOutputs outputs = new JobOutputs(folder.newFolder("out").toPath());
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      Path spec =
          KafkaJobRun.spec(
              folder.getRoot().toPath(), topic, "railyard-" + topic,
              String.format(ALERTS, receiver.url(), rule));
      PipelineResult job = KafkaJobRun.start(spec, outputs.lake().getParent());
      try {
        KafkaJobRun.await(
            Duration.standardSeconds(150),
            () -> receiver.posts().size() >= posts && healthRows(outputs) >= minutes);
        // Anything posted twice, or raised by a later minute, has had time to arrive.
        Thread.sleep(3_000);
      } finally {
        job.cancel();
      }
      assertThat("every minute was judged", healthRows(outputs), greaterThanOrEqualTo((long) minutes));
      return receiver.posts();
    }
  }

  private static List<String> changes(List<WebhookReceiver.Post> posts) {
    return posts.stream()
        .map(p -> p.body().get("rule").asText() + " " + p.body().get("status").asText())
        .toList();
  }

  private static long healthRows(JobOutputs outputs) {
    try (ServingStore store = ServingStore.open(outputs.serving())) {
      return store.readMerged(HealthView.NAME).stream()
          .filter(row -> row.pane().equals("ON_TIME"))
          .count();
    } catch (RuntimeException e) {
      return 0; // not created yet
    }
  }

  @Test
  public void aSpikeOfInvalidRecordsPostsOneOpenedAndOneResolvedAlertAndNormalTrafficNone()
      throws Exception {
    String topic = KafkaBroker.newTopic("alerts", 2);
    long start = start();
    KafkaBroker.produce(traffic(topic, start, MINUTES, NORMAL_BEFORE, SPIKE));

    List<WebhookReceiver.Post> posts = run(topic, INVALID_SPIKE, 2, MINUTES);

    assertThat(changes(posts), contains("invalid_spike open", "invalid_spike resolved"));
    assertThat(
        "the opened alert's window is the spike's first minute",
        posts.get(0).body().get("windowStart").asText(),
        equalTo(Instant.ofEpochMilli(start + NORMAL_BEFORE * MINUTE).toString()));
    assertThat(
        "both posts are one incident",
        posts.get(1).body().get("id").asText(),
        equalTo(posts.get(0).body().get("id").asText()));
  }

  @Test
  public void aTopicThatGoesQuietOpensTheNoDataRuleOnceItsWatermarkPassesTheSilence()
      throws Exception {
    String topic = KafkaBroker.newTopic("quiet", 2);
    long start = start();
    KafkaBroker.produce(traffic(topic, start, 5, 5, 0));

    // The reader catches up and its watermark follows the clock: three hours pass the last minute.
    List<WebhookReceiver.Post> posts = run(topic, SILENT_SOURCE, 1, 5);

    assertThat(changes(posts), contains("silent_source open"));
    assertThat(
        "the silence starts where the last minute ended",
        posts.get(0).body().get("windowStart").asText(),
        equalTo(Instant.ofEpochMilli(start + 5 * MINUTE).toString()));
  }
}
