package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.alerts.AlertSinks;
import railyard.io.alerts.WebhookConfig;
import railyard.io.alerts.WebhookReceiver;
import railyard.io.query.QueryConfig;
import railyard.io.query.QueryServer;
import railyard.io.query.Watchdog;
import railyard.io.serving.ServingStore;
import railyard.model.RawEvent;
import railyard.pipelines.AlertTimeline.Minute;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;
import railyard.transforms.RailyardMetrics;

/**
 * Faults injected into the job's traffic each reach a real webhook receiver on loopback as exactly
 * one opened alert (and one resolution): a volume drop, a spike of invalid records, a late-data
 * storm, and a stopped pipeline caught by the query service's watchdog. The job runs for real
 * from its raw events on: preparation, warehouse, dead letters, health and serving (SQLite), alert
 * rules from the spec and delivery.
 */
public class AlertsJobTest {
  private static final String SPEC =
      """
      name: shop
      source: {type: generator}
      schema:
        table: shop_events
        fields:
          - {name: id, type: string, required: true}
          - {name: amount, type: double, min: 0, max: 1000}
          - {name: ts, type: timestamp, required: true}
      eventTime: {field: ts, allowedSkew: 1h}
      dedupe: {key: id, horizon: 10m}
      allowedLateness: 30m
      outputs: {lake: "%1$s/lake", warehouse: "%1$s/warehouse", serving: "%1$s/serving.db"}
      alerts:
        freshness: 5m
        sinks:
          store: true
          webhook: {url: "%2$s", maxAttempts: 60, initialBackoff: 100ms, maxBackoff: 1s}
        rules:
          - {name: volume_drop, metric: received, below: 0.5, baseline: 10, severity: critical}
          - {name: invalid_spike, metric: invalid_ratio, above: 0.2, severity: critical}
          - {name: late_storm, metric: late, above: 10}
      """;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** Whole minutes starting three hours ago: old enough that the watchdog finds them stale. */
  private static long start() {
    long threeHoursAgo = System.currentTimeMillis() - 3 * 3_600_000L;
    return threeHoursAgo - threeHoursAgo % AlertTimeline.MINUTE;
  }

  private PipelineSpec spec(WebhookReceiver receiver) throws Exception {
    Path file = folder.getRoot().toPath().resolve("shop.yaml");
    Files.writeString(file, String.format(SPEC, folder.getRoot(), receiver.url()));
    return SpecLoader.load(file);
  }

  private static AlertTimeline faults() {
    return new AlertTimeline(start())
        .add(Minute.STEADY, 14)
        .add(Minute.VOLUME_DROP, 3)
        .add(Minute.STEADY, 10)
        .add(Minute.INVALID_SPIKE, 2)
        .add(Minute.STEADY, 10)
        .add(Minute.LATE_STORM, 2)
        .add(Minute.STEADY, 8);
  }

  private static PipelineResult run(PipelineSpec spec, String mode, java.util.function.Function<Pipeline, org.apache.beam.sdk.values.PCollection<RawEvent>> events) {
    RailyardOptions options =
        PipelineOptionsFactory.fromArgs("--mode=" + mode, "--runner=DirectRunner")
            .as(RailyardOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    RailyardJob.of(spec, options).process(events.apply(pipeline));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish(org.joda.time.Duration.standardMinutes(8));
    return result;
  }

  private static List<String> changes(List<WebhookReceiver.Post> posts) {
    return posts.stream()
        .map(p -> p.body().get("rule").asText() + " " + p.body().get("status").asText())
        .toList();
  }

  /** Each incident's open and resolved posts carry the same id. */
  private static void assertEachIncidentKeepsItsId(List<WebhookReceiver.Post> posts) {
    for (WebhookReceiver.Post post : posts) {
      long sameId = posts.stream()
          .filter(p -> p.body().get("id").asText().equals(post.body().get("id").asText()))
          .count();
      assertThat(post.body().toString(), sameId, is(2L));
    }
  }

  @Test
  public void aStreamWithInjectedFaultsRaisesOneAlertPerFaultThenTheWatchdogCatchesTheStop()
      throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      PipelineSpec spec = spec(receiver);
      run(spec, "streaming", p -> p.apply("Events", faults().stream()));

      List<WebhookReceiver.Post> posts = receiver.posts();
      assertThat(
          changes(posts),
          containsInAnyOrder(
              "volume_drop open", "volume_drop resolved",
              "invalid_spike open", "invalid_spike resolved",
              "late_storm open", "late_storm resolved"));
      assertEachIncidentKeepsItsId(posts);

      // The stream ended: nothing new reaches the store. The query service's watchdog sees it.
      Watchdog.Settings watchdog =
          new Watchdog.Settings(spec.name(), Duration.ofMinutes(5), Duration.ofMillis(200),
              spec.alerts().sinks());
      try (QueryServer server =
          QueryServer.start(QueryConfig.loopback(spec.outputs().serving(), 0), watchdog)) {
        List<WebhookReceiver.Post> withWatchdog = receiver.awaitPosts(7, 20);
        Thread.sleep(1_000);
        assertThat(receiver.posts().size(), is(7));
        JsonNode stall = withWatchdog.get(6).body();
        assertThat(stall.get("source").asText(), is("watchdog"));
        assertThat(stall.get("view").asText(), is("_health"));
        assertThat(stall.get("status").asText(), is("open"));
      }
    }
  }

  @Test
  public void theSameFaultsInBatchRaiseTheSameAlerts() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      run(spec(receiver), "batch", p -> p.apply("Events", Create.timestamped(faults().all())));

      assertThat(
          changes(receiver.posts()),
          containsInAnyOrder(
              "volume_drop open", "volume_drop resolved",
              "invalid_spike open", "invalid_spike resolved",
              "late_storm open", "late_storm resolved"));
      assertEachIncidentKeepsItsId(receiver.posts());
    }
  }

  @Test
  public void aLongSteadyStreamRaisesNoAlert() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      PipelineSpec spec = spec(receiver);
      run(spec, "streaming",
          p -> p.apply("Events", new AlertTimeline(start()).add(Minute.STEADY, 180).stream()));

      assertThat(receiver.posts(), empty());
      try (ServingStore store = ServingStore.open(spec.outputs().serving())) {
        assertThat(store.recentAlerts(10), empty());
        assertThat(store.readMerged("_health").size(), is(180));
      }
    }
  }

  @Test
  public void aWebhookDownForAWhileStillGetsEachAlertOnceWhenItReturns() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.down()) {
      PipelineSpec spec = spec(receiver);
      // The receiver comes back once the alert is in the table: the sinks record it there first
      // and post it right after, so the first posts find nobody listening.
      Thread comesBack = new Thread(() -> {
        try (ServingStore store = ServingStore.open(spec.outputs().serving())) {
          long deadline = System.currentTimeMillis() + 300_000;
          while (store.recentAlerts(1).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
          }
          Thread.sleep(1_500);
          receiver.start();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      comesBack.start();
      PipelineResult result =
          run(spec, "batch", p -> p.apply("Events", Create.timestamped(
              new AlertTimeline(start())
                  .add(Minute.STEADY, 5).add(Minute.INVALID_SPIKE, 1).add(Minute.STEADY, 4)
                  .all())));
      comesBack.join();

      assertThat(changes(receiver.posts()), containsInAnyOrder("invalid_spike open", "invalid_spike resolved"));
      MetricQueryResults metrics = result.metrics().queryMetrics(
          MetricsFilter.builder()
              .addNameFilter(MetricNameFilter.named(RailyardMetrics.NAMESPACE, RailyardMetrics.ALERT_DELIVERY_RETRIES))
              .build());
      long retries = 0;
      for (var counter : metrics.getCounters()) {
        retries += counter.getAttempted();
      }
      assertThat("posts retried while the receiver was down", retries, is(greaterThan(0L)));
    }
  }
}
