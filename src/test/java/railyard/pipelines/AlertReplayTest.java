package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.alerts.WebhookReceiver;
import railyard.io.serving.PostgresDatabase;
import railyard.io.serving.ServingStore;
import railyard.io.serving.StoredAlert;
import railyard.model.Alert;
import railyard.model.RawEvent;
import railyard.pipelines.AlertTimeline.Minute;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecOverrides;

/**
 * A replay of the same events raises the same incidents with the same ids, and the alerts table
 * (here on the real PostgreSQL server) makes sure each one is delivered once.
 */
public class AlertReplayTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  @Test
  public void aReplayedRunDeliversNothingTwiceAndThePostgresTableHoldsTheIncidentOnce()
      throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      PipelineSpec spec =
          AlertJobs.spec(folder.getRoot().toPath(), receiver.url())
              .withOverrides(SpecOverrides.none().withServing(database.location()));
      List<TimestampedValue<RawEvent>> events =
          new AlertTimeline(AlertJobs.start())
              .add(Minute.STEADY, 5).add(Minute.INVALID_SPIKE, 2).add(Minute.STEADY, 5)
              .all();

      AlertJobs.run(spec, "batch", p -> p.apply("Events", Create.timestamped(events)));
      AlertJobs.run(spec, "batch", p -> p.apply("Events", Create.timestamped(events)));

      assertThat(
          AlertJobs.changes(receiver.posts()),
          containsInAnyOrder("invalid_spike open", "invalid_spike resolved"));
      try (ServingStore store = ServingStore.open(database.location())) {
        List<StoredAlert> incidents = store.recentAlerts(10);
        assertThat(incidents.size(), is(1));
        assertThat(incidents.get(0).alert().status(), is(Alert.Status.RESOLVED));
        assertThat(incidents.get(0).alert().id(), is(receiver.posts().get(0).body().get("id").asText()));
      }
    }
  }

  @Test
  public void rulesOnARunnerWithoutStreamingTimersStopAtLaunchSayingSo() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started()) {
      PipelineSpec spec = AlertJobs.spec(folder.getRoot().toPath(), receiver.url());
      RailyardOptions options =
          PipelineOptionsFactory.fromArgs("--mode=streaming").as(RailyardOptions.class);
      options.setRunner(SparkRunner.class);

      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> RailyardJob.of(spec, options));

      assertThat(error.getMessage(), containsString("Spark's streaming runner has no timers"));
    }
  }
}
