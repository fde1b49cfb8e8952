package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.alerts.WebhookReceiver;
import railyard.io.query.QueryConfig;
import railyard.io.query.QueryServer;
import railyard.io.query.Watchdog;
import railyard.io.serving.ServingStore;
import railyard.pipelines.AlertTimeline.Minute;
import railyard.spec.PipelineSpec;
import railyard.testing.Counters;
import railyard.transforms.RailyardMetrics;

/**
 * Faults injected into the job's traffic each reach a real webhook receiver on loopback as exactly
 * one opened alert (and one resolution): a volume drop, a spike of invalid records, a late-data
 * storm, and a stopped pipeline caught by the query service's watchdog. The job runs for real
 * from its raw events on: preparation, warehouse, dead letters, health and serving (SQLite), alert
 * rules from the spec and delivery.
 */
public class AlertsJobTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private PipelineSpec spec(WebhookReceiver receiver) throws Exception {
    return AlertJobs.spec(folder.getRoot().toPath(), receiver.url());
  }

  private static AlertTimeline faults() {
    return new AlertTimeline(AlertJobs.start())
        .add(Minute.STEADY, 14)
        .add(Minute.VOLUME_DROP, 3)
        .add(Minute.STEADY, 10)
        .add(Minute.INVALID_SPIKE, 2)
        .add(Minute.STEADY, 10)
        .add(Minute.LATE_STORM, 2)
        .add(Minute.STEADY, 8);
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
      AlertJobs.run(spec, "streaming", p -> p.apply("Events", faults().stream()));

      List<WebhookReceiver.Post> posts = receiver.posts();
      assertThat(
          AlertJobs.changes(posts),
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
      AlertJobs.run(spec(receiver), "batch", p -> p.apply("Events", Create.timestamped(faults().all())));

      assertThat(
          AlertJobs.changes(receiver.posts()),
          containsInAnyOrder(
              "volume_drop open", "volume_drop resolved",
              "invalid_spike open", "invalid_spike resolved",
              "late_storm open", "late_storm resolved"));
      assertEachIncidentKeepsItsId(receiver.posts());
    }
  }

  /** An hour of steady minutes, six times the volume rule's baseline of ten. */
  @Test
  public void aLongSteadyStreamRaisesNoAlert() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      PipelineSpec spec = spec(receiver);
      AlertJobs.run(spec, "streaming",
          p -> p.apply("Events", new AlertTimeline(AlertJobs.start()).add(Minute.STEADY, 60).stream()));

      assertThat(receiver.posts(), empty());
      try (ServingStore store = ServingStore.open(spec.outputs().serving())) {
        assertThat(store.recentAlerts(10), empty());
        assertThat(store.readMerged("_health").size(), is(60));
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
          AlertJobs.run(spec, "batch", p -> p.apply("Events", Create.timestamped(
              new AlertTimeline(AlertJobs.start())
                  .add(Minute.STEADY, 5).add(Minute.INVALID_SPIKE, 1).add(Minute.STEADY, 4)
                  .all())));
      comesBack.join();

      assertThat(AlertJobs.changes(receiver.posts()), containsInAnyOrder("invalid_spike open", "invalid_spike resolved"));
      long retries =
          Counters.sum(result, RailyardMetrics.NAMESPACE, RailyardMetrics.ALERT_DELIVERY_RETRIES);
      assertThat("posts retried while the receiver was down", retries, is(greaterThan(0L)));
    }
  }
}
