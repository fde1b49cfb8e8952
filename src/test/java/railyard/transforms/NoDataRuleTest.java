package railyard.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.schema.AlertRule;

/**
 * A {@code noDataFor} rule: an incident opens when a key has produced no complete row for the
 * span of event time after its newest window ended, and resolves with the next row.
 */
@RunWith(JUnit4.class)
public class NoDataRuleTest {
  private static final AlertRule SILENCE =
      AlertRule.noData("silence", HealthView.NAME, 3 * 60_000L, AlertRule.Severity.CRITICAL, null);
  /** Minutes with a health row: a two-minute gap after 2 (shorter than 3), six after 8. */
  private static final int[] MINUTES = {0, 1, 2, 5, 6, 7, 8, 15, 16};

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static TimestampedValue<ServingRow> row(int minute) {
    ServingRow row =
        EvaluateAlertsTest.health(minute, "ON_TIME", HealthView.RECEIVED, 10);
    return TimestampedValue.of(row, new Instant(row.windowEnd() - 1));
  }

  private static long minuteOf(long millis) {
    return (millis - Events.T0.getMillis()) / 60_000;
  }

  /** Each alert as "status rule [from,to) raised at minute m". */
  private static PCollection<String> alerts(PCollection<ServingRow> rows) {
    return rows.apply(EvaluateAlerts.of(List.of(SILENCE)).withPipelineName("p"))
        .apply(
            ParDo.of(
                new DoFn<Alert, String>() {
                  @ProcessElement
                  public void process(
                      @Element Alert alert, @Timestamp Instant at, OutputReceiver<String> out) {
                    out.output(
                        String.format(
                            "%s %s [%d,%d) at %d id %s",
                            alert.status().label(),
                            alert.rule(),
                            minuteOf(alert.windowStart()),
                            minuteOf(alert.windowEnd()),
                            minuteOf(at.getMillis() + 1),
                            alert.id().equals(Incident.id("p", "silence", "", alert.windowStart()))));
                  }
                }));
  }

  @Test
  public void aBatchFindsTheSilenceBetweenRowsInAnyOrderButNotAtItsEnd() {
    List<TimestampedValue<ServingRow>> rows = new ArrayList<>();
    for (int minute : MINUTES) {
      rows.add(row(minute));
    }
    Collections.shuffle(rows, new Random(3));

    // The end of a bounded input is the end of its range, not a silence.
    PAssert.that(alerts(pipeline.apply(Create.timestamped(rows))))
        .containsInAnyOrder(
            "open silence [9,12) at 16 id true", "resolved silence [9,15) at 16 id true");
    pipeline.run();
  }

  @Test
  public void aStreamOpensOnceTheWatermarkPassesTheSilenceWhileTheKeyIsStillQuiet() {
    EvaluateAlertsTest.assumeStreamingTimers(pipeline);
    TestStream.Builder<ServingRow> stream = TestStream.create(ServingRow.ServingRowCoder.of());
    int previous = -1;
    for (int minute : MINUTES) {
      for (int quiet = previous + 1; quiet < minute; quiet++) {
        stream = stream.advanceWatermarkTo(new Instant(Events.T0.getMillis() + (quiet + 1) * 60_000L));
      }
      stream =
          stream
              .addElements(row(minute))
              .advanceWatermarkTo(new Instant(Events.T0.getMillis() + (minute + 1) * 60_000L));
      previous = minute;
    }

    // Opened when the watermark passed minute 12, three minutes after the last row's end, before
    // the rows came back at 15. A stream that ends is silent from then on: it opens once more.
    PAssert.that(alerts(pipeline.apply(stream.advanceWatermarkToInfinity())))
        .containsInAnyOrder(
            "open silence [9,12) at 12 id true",
            "resolved silence [9,15) at 16 id true",
            "open silence [17,20) at 20 id true");
    pipeline.run();
  }
}
