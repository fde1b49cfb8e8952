package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assume.assumeFalse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.schema.AlertRule;

/**
 * Alert rules on served rows: one alert when an incident opens and one when it resolves, the same
 * in batch and streaming, judged on complete windows only.
 */
@RunWith(JUnit4.class)
public class EvaluateAlertsTest {
  private static final AlertRule INVALID_SPIKE =
      new AlertRule("invalid_spike", HealthView.NAME, HealthView.INVALID_RATIO,
          AlertRule.Condition.ABOVE, 0.2, 0, AlertRule.Severity.CRITICAL, 1, 2, null);
  /** Ratios a minute: a spike in minutes 3 and 4, a dip back at 5, over again at 6, clear 7 on. */
  private static final double[] RATIOS = {0.01, 0.02, 0.01, 0.5, 0.6, 0.1, 0.4, 0.01, 0.02, 0.01};

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /**
   * Rules need event-time timers in streaming, which Beam 2.62's Spark runner lacks; a job with
   * rules there stops at launch (AlertReplayTest), so there is no stream to judge on it.
   */
  static void assumeStreamingTimers(TestPipeline pipeline) {
    assumeFalse(
        "Spark streaming has no event-time timers",
        pipeline.getOptions().getRunner().getSimpleName().contains("Spark"));
  }

  static ServingRow health(int minute, String pane, String metric, double value) {
    long start = Events.T0.getMillis() + minute * 60_000L;
    return new ServingRow(HealthView.NAME, "", start, start + 60_000, Map.of(metric, value), 10,
        ServingRow.Layer.SPEED, pane, 0, start + 61_000);
  }

  private static TimestampedValue<ServingRow> stamped(ServingRow row) {
    return TimestampedValue.of(row, new Instant(row.windowEnd() - 1));
  }

  private static String describe(Alert alert) {
    return alert.status().label() + " " + alert.rule() + " minute "
        + (alert.windowStart() - Events.T0.getMillis()) / 60_000 + " id " + alert.id();
  }

  private PCollection<String> alerts(PCollection<ServingRow> rows) {
    return rows.apply(EvaluateAlerts.of(List.of(INVALID_SPIKE)).withPipelineName("p"))
        .apply(MapElements.into(TypeDescriptors.strings()).via(EvaluateAlertsTest::describe));
  }

  private static String expectedId() {
    return Incident.id("p", "invalid_spike", "", Events.T0.getMillis() + 3 * 60_000L);
  }

  @Test
  public void aBatchInAnyOrderOpensOneIncidentAndResolvesItOnce() {
    List<TimestampedValue<ServingRow>> rows = new ArrayList<>();
    for (int m = 0; m < RATIOS.length; m++) {
      rows.add(stamped(health(m, "ON_TIME", HealthView.INVALID_RATIO, RATIOS[m])));
    }
    Collections.shuffle(rows, new Random(3));

    PAssert.that(alerts(pipeline.apply(Create.timestamped(rows))))
        .containsInAnyOrder(
            "open invalid_spike minute 3 id " + expectedId(),
            "resolved invalid_spike minute 8 id " + expectedId());
    pipeline.run();
  }

  @Test
  public void aStreamIgnoresEarlyPanesAndJudgesEachWindowWhenTheWatermarkPassesIt() {
    assumeStreamingTimers(pipeline);
    TestStream.Builder<ServingRow> stream = TestStream.create(ServingRow.ServingRowCoder.of());
    for (int m = 0; m < RATIOS.length; m++) {
      // An early pane that breaches wildly, then the window's complete row.
      stream = stream
          .addElements(stamped(health(m, "EARLY", HealthView.INVALID_RATIO, 0.9)))
          .addElements(stamped(health(m, "ON_TIME", HealthView.INVALID_RATIO, RATIOS[m])))
          .advanceWatermarkTo(new Instant(Events.T0.getMillis() + (m + 1) * 60_000L));
    }

    PAssert.that(alerts(pipeline.apply(stream.advanceWatermarkToInfinity())))
        .containsInAnyOrder(
            "open invalid_spike minute 3 id " + expectedId(),
            "resolved invalid_spike minute 8 id " + expectedId());
    pipeline.run();
  }

  @Test
  public void aSteadyRunRaisesNothing() {
    List<TimestampedValue<ServingRow>> rows = new ArrayList<>();
    for (int m = 0; m < 120; m++) {
      rows.add(stamped(health(m, "ON_TIME", HealthView.INVALID_RATIO, 0.01 + (m % 7) * 0.02)));
    }

    PAssert.that(alerts(pipeline.apply(Create.timestamped(rows)))).empty();
    pipeline.run();
  }

  @Test
  public void aVolumeDropBelowAShareOfTheTrailingBaselineOpensOnceAndResolvesOnRecovery() {
    AlertRule drop = new AlertRule("volume_drop", HealthView.NAME, HealthView.RECEIVED,
        AlertRule.Condition.BELOW, 0.5, 5, AlertRule.Severity.WARNING, 1, 2, null);
    Incident incident = new Incident();
    List<String> changes = new ArrayList<>();
    double[] volumes = {100, 110, 90, 105, 95, 100, 20, 15, 25, 100, 98, 102, 97};
    for (int m = 0; m < volumes.length; m++) {
      Alert alert = incident.observe(drop, "p", health(m, "ON_TIME", HealthView.RECEIVED, volumes[m]));
      if (alert != null) {
        changes.add(alert.status().label() + " at " + m);
      }
    }

    assertThat(changes, contains("open at 6", "resolved at 10"));
  }

  @Test
  public void aBlipShorterThanForWindowsOpensNothing() {
    AlertRule rule = new AlertRule("spike", HealthView.NAME, HealthView.INVALID_RATIO,
        AlertRule.Condition.ABOVE, 0.2, 0, AlertRule.Severity.WARNING, 2, 1, null);
    Incident incident = new Incident();
    List<Alert> alerts = new ArrayList<>();
    double[] ratios = {0.1, 0.5, 0.1, 0.5, 0.1};
    for (int m = 0; m < ratios.length; m++) {
      Alert alert = incident.observe(rule, "p", health(m, "ON_TIME", HealthView.INVALID_RATIO, ratios[m]));
      if (alert != null) {
        alerts.add(alert);
      }
    }

    assertThat(alerts, empty());
  }

  @Test
  public void theSameIncidentAlwaysGetsTheSameId() {
    assertThat(Incident.id("p", "r", "US", 60_000), equalTo(Incident.id("p", "r", "US", 60_000)));
    assertThat(
        Incident.id("p", "r", "US", 60_000).equals(Incident.id("p", "r", "FR", 60_000)),
        equalTo(false));
  }
}
