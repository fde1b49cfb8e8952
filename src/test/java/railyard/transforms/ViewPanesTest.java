package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import java.util.List;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * The panes of a stream's view as the slice engine fires them ({@link ViewPanesFn}): one test per
 * lateness regime and window kind, asserting each pane's window and timing.
 */
@RunWith(JUnit4.class)
public class ViewPanesTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final Duration LATENESS = Duration.standardMinutes(5);
  private static final Duration EARLY = Duration.standardSeconds(10);
  private static final ViewSpec FIXED = Events.view("fixed", WindowSpec.fixed(MINUTE), EARLY, LATENESS);
  private static final ViewSpec SLIDING =
      Events.view("sliding", WindowSpec.sliding(Duration.standardMinutes(2), MINUTE), null, LATENESS);
  private static final ViewSpec SESSIONS =
      Events.view("sessions", WindowSpec.session(Duration.standardSeconds(30)), null, LATENESS);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Instant at(int seconds) {
    return Events.T0.plus(Duration.standardSeconds(seconds));
  }

  private static IntervalWindow window(int fromSecond, int toSecond) {
    return new IntervalWindow(at(fromSecond), at(toSecond));
  }

  private static TimestampedValue<Row> sale(String id, int second) {
    return TimestampedValue.of(Events.row(id, "u-" + id, "us", 10, at(second)), at(second));
  }

  private static TestStream.Builder<Row> stream() {
    return TestStream.create(RowCoder.of(Events.SCHEMA.rowSchema()));
  }

  /** Each pane as "key events", in its window and pane. */
  private PCollection<String> panes(TestStream<Row> events, ViewSpec view) {
    return described(
        pipeline
            .apply(events)
            .setRowSchema(Events.SCHEMA.rowSchema())
            .apply(AggregateView.create().withView(view)));
  }

  private static PCollection<String> described(PCollection<KV<String, ViewResult>> panes) {
    return panes.apply(
        "Described " + panes.getName(),
        MapElements.into(TypeDescriptors.strings())
            .via(kv -> kv.getKey() + " " + kv.getValue().events()));
  }

  private static long droppedDueToLateness(PipelineResult result, String view) {
    long dropped = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(
                            ViewPanesFn.droppedNamespace(view), ViewPanesFn.DROPPED_DUE_TO_LATENESS))
                    .build())
            .getCounters()) {
      dropped += counter.getAttempted();
    }
    return dropped;
  }

  @Test
  public void aFixedWindowFiresOnTimeWhenTheWatermarkPassesItsEnd() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 5), sale("b", 50))
            .advanceWatermarkTo(at(61))
            .advanceWatermarkToInfinity();
    PAssert.that(panes(events, FIXED)).inOnTimePane(window(0, 60)).containsInAnyOrder("us 2");
    pipeline.run();
  }

  @Test
  public void aFixedWindowFiresEarlyAfterItsEarlyFiringInterval() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 5))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements(sale("b", 50))
            .advanceWatermarkToInfinity();
    PAssert.that(panes(events, FIXED)).inEarlyPane(window(0, 60)).containsInAnyOrder("us 1");
    pipeline.run();
  }

  @Test
  public void aLateSliceWithinTheAllowedLatenessFiresALatePaneOfTheWholeWindow() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 5))
            .advanceWatermarkTo(at(120))
            .addElements(sale("late", 30))
            .advanceWatermarkToInfinity();
    PAssert.that(panes(events, FIXED)).inLatePane(window(0, 60)).containsInAnyOrder("us 2");
    pipeline.run();
  }

  @Test
  public void aWindowWithNoAllowedLatenessFiresItsOnTimePaneAsItsFinalPane() {
    ViewSpec noLateness = Events.view("strict", WindowSpec.fixed(MINUTE), null, Duration.ZERO);
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 5))
            .advanceWatermarkTo(at(61))
            .addElements(sale("too-late", 30))
            .advanceWatermarkToInfinity();
    PAssert.that(panes(events, noLateness)).inFinalPane(window(0, 60)).containsInAnyOrder("us 1");
    pipeline.run();
  }

  @Test
  public void anEventBeyondTheAllowedLatenessIsDroppedAndCounted() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 5))
            .advanceWatermarkTo(at(60 + 6 * 60))
            .addElements(sale("too-late", 30))
            .advanceWatermarkToInfinity();
    PAssert.that(panes(events, FIXED)).inLatePane(window(0, 60)).empty();
    assertThat(droppedDueToLateness(pipeline.run(), "fixed"), equalTo(1L));
  }

  @Test
  public void aSlidingWindowFiresOnTimeWithEveryEventItCovers() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 30), sale("b", 90))
            .advanceWatermarkToInfinity();
    PCollection<String> panes = panes(events, SLIDING);
    PAssert.that(panes).inOnTimePane(window(-60, 60)).containsInAnyOrder("us 1");
    PAssert.that(panes).inOnTimePane(window(0, 120)).containsInAnyOrder("us 2");
    PAssert.that(panes).inOnTimePane(window(60, 180)).containsInAnyOrder("us 1");
    pipeline.run();
  }

  @Test
  public void aLateSlidingEventUpdatesOnlyTheWindowsStillWithinTheirLateness() {
    // At 6m30s the window [-1m, 1m) is past its lateness (it ended 5m30s before), [0, 2m) is not.
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 30))
            .advanceWatermarkTo(at(6 * 60 + 30))
            .addElements(sale("late", 40))
            .advanceWatermarkToInfinity();
    PCollection<String> panes = panes(events, SLIDING);
    PAssert.that(panes).inLatePane(window(0, 120)).containsInAnyOrder("us 2");
    PAssert.that(panes).inLatePane(window(-60, 60)).empty();
    assertThat(droppedDueToLateness(pipeline.run(), "sliding"), equalTo(1L));
  }

  @Test
  public void sessionsMergeAndFireOnTimeAsOneWindow() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 0))
            .addElements(sale("b", 20))
            .addElements(sale("c", 100))
            .advanceWatermarkToInfinity();
    PCollection<String> panes = panes(events, SESSIONS);
    PAssert.that(panes).inOnTimePane(window(0, 50)).containsInAnyOrder("us 2");
    PAssert.that(panes).inOnTimePane(window(100, 130)).containsInAnyOrder("us 1");
    pipeline.run();
  }

  @Test
  public void aLateEventExtendsItsClosedSessionInALatePane() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", 0))
            .advanceWatermarkTo(at(60))
            .addElements(sale("late", 20))
            .advanceWatermarkToInfinity();
    PCollection<String> panes = panes(events, SESSIONS);
    PAssert.that(panes).inOnTimePane(window(0, 30)).containsInAnyOrder("us 1");
    PAssert.that(panes).inLatePane(window(0, 50)).containsInAnyOrder("us 2");
    pipeline.run();
  }

  @Test
  public void viewsOfOneKeyFireEachTheirOwnPanesFromOneStep() {
    TestStream<Row> events =
        stream().addElements(sale("a", 10), sale("b", 30)).advanceWatermarkToInfinity();

    PCollectionTuple panes =
        pipeline
            .apply(events)
            .setRowSchema(Events.SCHEMA.rowSchema())
            .apply(AggregateStreamViews.of(List.of(SLIDING, SESSIONS)));

    PCollection<String> sliding = described(panes.get(AggregateStreamViews.panesOf(SLIDING)));
    PCollection<String> sessions = described(panes.get(AggregateStreamViews.panesOf(SESSIONS)));
    PAssert.that(sliding).inOnTimePane(window(-60, 60)).containsInAnyOrder("us 2");
    PAssert.that(sliding).inOnTimePane(window(0, 120)).containsInAnyOrder("us 2");
    PAssert.that(sessions).inOnTimePane(window(10, 60)).containsInAnyOrder("us 2");
    PAssert.that(sessions).inOnTimePane(window(0, 120)).empty();
    pipeline.run();
  }
}
