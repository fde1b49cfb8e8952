package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.ServingRow;
import railyard.schema.DeclaredSchema;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/** One behaviour per test: metrics, window shapes, and each lateness regime of a stream. */
@RunWith(JUnit4.class)
public class ComputeViewsTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final Duration LATENESS = Duration.standardMinutes(5);
  private static final ViewSpec PER_MINUTE =
      Events.view("sales", WindowSpec.fixed(MINUTE), Duration.standardSeconds(10), LATENESS);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static TimestampedValue<Row> sale(String id, String user, double amount, Instant at) {
    return TimestampedValue.of(Events.row(id, user, "us", amount, at), at);
  }

  private static Instant at(int seconds) {
    return Events.T0.plus(Duration.standardSeconds(seconds));
  }

  private PCollection<String> compute(PCollection<Row> rows, ViewSpec view) {
    return rows.apply(ComputeViews.of(List.of(view)).withLayer(ServingRow.Layer.SPEED))
        .apply(MapElements.into(TypeDescriptors.strings()).via(ComputeViewsTest::describe));
  }

  /** A row as "key [start+s, end+s) PANE events metric=value…", seconds from T0. */
  static String describe(ServingRow row) {
    String metrics =
        row.metrics().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
    return String.format(
        "%s [%d,%d) %s %d %s",
        row.key(),
        (row.windowStart() - Events.T0.getMillis()) / 1000,
        (row.windowEnd() - Events.T0.getMillis()) / 1000,
        row.pane(),
        row.eventCount(),
        metrics);
  }

  /** A view counting events per country in windows of {@code size} that start every minute. */
  private static ViewSpec countPerCountrySliding(Duration size) {
    return new ViewSpec(
        "sliding",
        WindowSpec.sliding(size, MINUTE),
        List.of("country"),
        List.of(new MetricSpec("n", MetricSpec.Op.COUNT, null)),
        null,
        LATENESS);
  }

  private PCollection<Row> bounded(List<TimestampedValue<Row>> sales) {
    return pipeline.apply(
        Create.timestamped(sales).withCoder(RowCoder.of(Events.SCHEMA.rowSchema())));
  }

  /**
   * The views' events per country and window as "view key events" (the view by its position),
   * folded within bundles by tables that hold one slice, so every further slice passes through as
   * a slice of its own.
   */
  private static PCollection<String> eventsPerGroupThroughATableOfOne(
      PCollection<Row> rows, List<ViewSpec> views) {
    return rows.apply(AggregateBoundedViews.of(views).withMaxSlices(1))
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(result -> result.view() + " " + result.key() + " " + result.result().events()));
  }

  private static TestStream.Builder<Row> stream() {
    return TestStream.create(RowCoder.of(Events.SCHEMA.rowSchema()));
  }

  @Test
  public void theMaximumOfATimestampIsTheNewestEventTimeInMilliseconds() {
    ViewSpec newest =
        new ViewSpec(
            "newest",
            WindowSpec.fixed(MINUTE),
            List.of("country"),
            List.of(new MetricSpec("newest", MetricSpec.Op.MAX, DeclaredSchema.EVENT_TIME)),
            null,
            LATENESS);
    PCollection<Row> rows = bounded(List.of(sale("a", "u1", 10, at(1)), sale("b", "u2", 30, at(42))));
    PAssert.that(compute(rows, newest))
        .containsInAnyOrder("us [0,60) ON_TIME 2 newest=" + (double) at(42).getMillis());
    pipeline.run();
  }

  @Test
  public void aFullBundleTablePassesNewGroupsThroughWithoutLosingEvents() {
    PCollection<Row> rows =
        bounded(
            List.of(
                sale("a", "u1", 10, at(1)),
                sale("b", "u2", 30, at(2)),
                sale("c", "u3", 20, at(61)),
                TimestampedValue.of(Events.row("d", "u1", "fr", 5, at(3)), at(3))));
    PAssert.that(eventsPerGroupThroughATableOfOne(rows, List.of(PER_MINUTE)))
        .containsInAnyOrder("0 us 2", "0 us 1", "0 fr 1");
    pipeline.run();
  }

  @Test
  public void computesEveryMetricOfABatchWindow() {
    PCollection<Row> rows =
        bounded(List.of(sale("a", "u1", 10, at(1)), sale("b", "u1", 30, at(2)), sale("c", "u2", 20, at(59))));
    PAssert.that(compute(rows, PER_MINUTE))
        .containsInAnyOrder(
            "us [0,60) ON_TIME 3 events=3.0 revenue=60.0 smallest=10.0 largest=30.0 average=20.0 buyers=2.0");
    pipeline.run();
  }

  @Test
  public void leavesOutMetricsThatHaveNoValues() {
    Row noAmount = Events.row("a", "u1", "us", 0, at(1));
    noAmount = Row.fromRow(noAmount).withFieldValue("amount", null).build();
    PCollection<Row> rows = bounded(List.of(TimestampedValue.of(noAmount, at(1))));
    PAssert.that(compute(rows, PER_MINUTE))
        .containsInAnyOrder("us [0,60) ON_TIME 1 events=1.0 revenue=0.0 buyers=1.0");
    pipeline.run();
  }

  @Test
  public void groupsByEveryGroupByField() {
    ViewSpec byCountryAndUser =
        new ViewSpec(
            "pairs",
            WindowSpec.fixed(MINUTE),
            List.of("country", "user"),
            List.of(new railyard.schema.MetricSpec("n", railyard.schema.MetricSpec.Op.COUNT, null)),
            null,
            LATENESS);
    PCollection<Row> rows =
        bounded(List.of(sale("a", "u1", 1, at(1)), sale("b", "u|2", 1, at(2)), sale("c", "u1", 1, at(3))));
    PAssert.that(compute(rows, byCountryAndUser))
        .containsInAnyOrder("us|u1 [0,60) ON_TIME 2 n=2.0", "us|u\\|2 [0,60) ON_TIME 1 n=1.0");
    pipeline.run();
  }

  @Test
  public void viewsComputedTogetherOnABatchEachGetTheirOwnWindowsKeysAndMetrics() {
    ViewSpec perCountry =
        new ViewSpec(
            "per_country",
            WindowSpec.fixed(MINUTE),
            List.of("country"),
            List.of(new MetricSpec("n", MetricSpec.Op.COUNT, null)),
            null,
            LATENESS);
    ViewSpec perUser =
        new ViewSpec(
            "per_user",
            WindowSpec.session(Duration.standardSeconds(30)),
            List.of("user"),
            List.of(new MetricSpec("spend", MetricSpec.Op.SUM, "amount")),
            null,
            LATENESS);
    PCollection<Row> rows =
        bounded(List.of(sale("a", "u1", 1, at(1)), sale("b", "u2", 2, at(20)), sale("c", "u1", 4, at(25))));
    PCollection<String> served =
        rows.apply(ComputeViews.of(List.of(perCountry, perUser)).withLayer(ServingRow.Layer.BATCH))
            .apply(MapElements.into(TypeDescriptors.strings()).via(row -> row.view() + " " + describe(row)));
    PAssert.that(served)
        .containsInAnyOrder(
            "per_country us [0,60) ON_TIME 3 n=3.0",
            "per_user u1 [1,55) ON_TIME 2 spend=5.0",
            "per_user u2 [20,50) ON_TIME 1 spend=2.0");
    pipeline.run();
  }

  /** Per country: events a fixed minute, spend over two minutes sliding by one; slices alike. */
  private static final List<ViewSpec> FIXED_AND_SLIDING_PER_COUNTRY =
      List.of(
          new ViewSpec(
              "per_minute",
              WindowSpec.fixed(MINUTE),
              List.of("country"),
              List.of(new MetricSpec("n", MetricSpec.Op.COUNT, null)),
              null,
              LATENESS),
          new ViewSpec(
              "two_minutes",
              WindowSpec.sliding(Duration.standardMinutes(2), MINUTE),
              List.of("country"),
              List.of(new MetricSpec("spend", MetricSpec.Op.SUM, "amount")),
              null,
              LATENESS));

  @Test
  public void viewsThatGroupAndSliceAlikeEachGetTheirOwnWindowsAndMetrics() {
    PCollection<Row> rows =
        bounded(List.of(sale("a", "u1", 1, at(1)), sale("b", "u2", 2, at(20)), sale("c", "u1", 4, at(70))));
    PCollection<String> served =
        rows.apply(ComputeViews.of(FIXED_AND_SLIDING_PER_COUNTRY).withLayer(ServingRow.Layer.BATCH))
            .apply(MapElements.into(TypeDescriptors.strings()).via(row -> row.view() + " " + describe(row)));
    PAssert.that(served)
        .containsInAnyOrder(
            "per_minute us [0,60) ON_TIME 2 n=2.0",
            "per_minute us [60,120) ON_TIME 1 n=1.0",
            "two_minutes us [-60,60) ON_TIME 2 spend=3.0",
            "two_minutes us [0,120) ON_TIME 3 spend=7.0",
            "two_minutes us [60,180) ON_TIME 1 spend=4.0");
    pipeline.run();
  }

  @Test
  public void aFullTableThatViewsShareStillCountsEveryEventOfEachView() {
    PCollection<Row> rows =
        bounded(
            List.of(
                sale("a", "u1", 1, at(1)),
                TimestampedValue.of(Events.row("b", "u2", "fr", 2, at(2)), at(2)),
                sale("c", "u1", 4, at(3))));
    PAssert.that(eventsPerGroupThroughATableOfOne(rows, FIXED_AND_SLIDING_PER_COUNTRY))
        .containsInAnyOrder("0 us 2", "0 fr 1", "1 us 2", "1 us 2", "1 fr 1", "1 fr 1");
    pipeline.run();
  }

  @Test
  public void putsAnEventInEverySlidingWindowThatCoversIt() {
    ViewSpec sliding = countPerCountrySliding(Duration.standardMinutes(3));
    PAssert.that(compute(bounded(List.of(sale("a", "u1", 1, at(130)))), sliding))
        .containsInAnyOrder(
            "us [0,180) ON_TIME 1 n=1.0", "us [60,240) ON_TIME 1 n=1.0", "us [120,300) ON_TIME 1 n=1.0");
    pipeline.run();
  }

  @Test
  public void countsEachEventInEverySlidingWindowWhenTheSizeIsNoMultipleOfThePeriod() {
    ViewSpec sliding = countPerCountrySliding(Duration.standardSeconds(90));
    PCollection<Row> rows =
        bounded(List.of(sale("a", "u1", 1, at(10)), sale("b", "u1", 1, at(40)), sale("c", "u1", 1, at(70))));
    PAssert.that(compute(rows, sliding))
        .containsInAnyOrder(
            "us [-60,30) ON_TIME 1 n=1.0", "us [0,90) ON_TIME 3 n=3.0", "us [60,150) ON_TIME 1 n=1.0");
    pipeline.run();
  }

  @Test
  public void aKeysSlidingWindowsOpenAndCloseAsItsEventsPassWhateverTheirOrder() {
    ViewSpec sliding = countPerCountrySliding(Duration.standardMinutes(3));
    PCollection<Row> rows =
        bounded(
            List.of(
                sale("d", "u1", 1, at(200)),
                sale("b", "u1", 1, at(70)),
                sale("a", "u1", 1, at(10)),
                sale("c", "u1", 1, at(75))));
    PAssert.that(compute(rows, sliding))
        .containsInAnyOrder(
            "us [-120,60) ON_TIME 1 n=1.0",
            "us [-60,120) ON_TIME 3 n=3.0",
            "us [0,180) ON_TIME 3 n=3.0",
            "us [60,240) ON_TIME 3 n=3.0",
            "us [120,300) ON_TIME 1 n=1.0",
            "us [180,360) ON_TIME 1 n=1.0");
    pipeline.run();
  }

  @Test
  public void slidingWindowsEitherSideOfAnHourHoldEveryEventOnce() {
    ViewSpec sliding =
        Events.view("sliding", WindowSpec.sliding(Duration.standardMinutes(5), MINUTE), null, LATENESS);
    // 59:30 and 60:30 share four of their five windows, and each window ends an hour apart.
    PCollection<Row> rows =
        bounded(List.of(sale("a", "u1", 1, at(3570)), sale("b", "u2", 2, at(3630))));
    PAssert.that(compute(rows, sliding))
        .containsInAnyOrder(
            "us [3300,3600) ON_TIME 1 events=1.0 revenue=1.0 smallest=1.0 largest=1.0 average=1.0 buyers=1.0",
            "us [3360,3660) ON_TIME 2 events=2.0 revenue=3.0 smallest=1.0 largest=2.0 average=1.5 buyers=2.0",
            "us [3420,3720) ON_TIME 2 events=2.0 revenue=3.0 smallest=1.0 largest=2.0 average=1.5 buyers=2.0",
            "us [3480,3780) ON_TIME 2 events=2.0 revenue=3.0 smallest=1.0 largest=2.0 average=1.5 buyers=2.0",
            "us [3540,3840) ON_TIME 2 events=2.0 revenue=3.0 smallest=1.0 largest=2.0 average=1.5 buyers=2.0",
            "us [3600,3900) ON_TIME 1 events=1.0 revenue=2.0 smallest=2.0 largest=2.0 average=2.0 buyers=1.0");
    pipeline.run();
  }

  @Test
  public void aBoundedSlidingResultIsInItsWindowStampedWithItsLastInstant() {
    ViewSpec sliding =
        Events.view("sliding", WindowSpec.sliding(Duration.standardMinutes(2), MINUTE), null, LATENESS);
    PCollection<String> placed =
        bounded(List.of(sale("a", "u1", 1, at(70))))
            .apply(AggregateView.create().withView(sliding))
            .apply(ParDo.of(new DescribePlacementFn()));
    PAssert.that(placed)
        .containsInAnyOrder(
            "[0,120) at " + (at(120).getMillis() - 1), "[60,180) at " + (at(180).getMillis() - 1));
    pipeline.run();
  }

  /** A view result's window, seconds from T0, and its timestamp in milliseconds. */
  private static final class DescribePlacementFn extends DoFn<KV<String, ViewResult>, String> {
    @ProcessElement
    public void process(@Timestamp Instant at, BoundedWindow window, OutputReceiver<String> out) {
      IntervalWindow interval = (IntervalWindow) window;
      out.output(
          String.format(
              "[%d,%d) at %d",
              (interval.start().getMillis() - Events.T0.getMillis()) / 1000,
              (interval.end().getMillis() - Events.T0.getMillis()) / 1000,
              at.getMillis()));
    }
  }

  @Test
  public void mergesEventsWithinTheGapIntoOneSession() {
    ViewSpec sessions =
        Events.view("sessions", WindowSpec.session(Duration.standardSeconds(30)), null, LATENESS);
    PCollection<Row> rows =
        bounded(List.of(sale("a", "u1", 1, at(0)), sale("b", "u1", 2, at(20)), sale("c", "u1", 4, at(100))));
    PAssert.that(compute(rows, sessions))
        .containsInAnyOrder(
            "us [0,50) ON_TIME 2 events=2.0 revenue=3.0 smallest=1.0 largest=2.0 average=1.5 buyers=1.0",
            "us [100,130) ON_TIME 1 events=1.0 revenue=4.0 smallest=4.0 largest=4.0 average=4.0 buyers=1.0");
    pipeline.run();
  }

  @Test
  public void anEventBetweenTwoSessionsJoinsThemIntoOne() {
    ViewSpec sessions =
        Events.view("sessions", WindowSpec.session(Duration.standardSeconds(30)), null, LATENESS);
    PCollection<Row> rows =
        bounded(List.of(sale("a", "u1", 1, at(0)), sale("b", "u1", 2, at(40)), sale("c", "u1", 4, at(20))));
    PAssert.that(compute(rows, sessions))
        .containsInAnyOrder(
            "us [0,70) ON_TIME 3 events=3.0 revenue=7.0 smallest=1.0 largest=4.0 average=2.3333333333333335 buyers=1.0");
    pipeline.run();
  }

  @Test
  public void sessionsOfSlicesMergeAsTheirRowsWould() {
    ViewSpec sessions =
        Events.view("sessions", WindowSpec.session(Duration.standardSeconds(30)), null, LATENESS);
    // 0 and 25 share a slice, 31 and 55 the next: one session of four, as row by row.
    PCollection<Row> rows =
        bounded(
            List.of(
                sale("a", "u1", 1, at(0)),
                sale("b", "u1", 2, at(25)),
                sale("c", "u1", 4, at(31)),
                sale("d", "u1", 8, at(55)),
                sale("e", "u1", 16, at(200))));
    PAssert.that(compute(rows, sessions))
        .containsInAnyOrder(
            "us [0,85) ON_TIME 4 events=4.0 revenue=15.0 smallest=1.0 largest=8.0 average=3.75 buyers=1.0",
            "us [200,230) ON_TIME 1 events=1.0 revenue=16.0 smallest=16.0 largest=16.0 average=16.0 buyers=1.0");
    pipeline.run();
  }

  @Test
  public void sessionsPassedThroughAFullBundleTableStillMerge() {
    ViewSpec sessions =
        Events.view("sessions", WindowSpec.session(Duration.standardSeconds(30)), null, LATENESS);
    PCollection<Row> rows =
        bounded(
            List.of(
                TimestampedValue.of(Events.row("b", "u2", "fr", 2, at(10)), at(10)),
                sale("a", "u1", 1, at(0)),
                sale("c", "u3", 4, at(20)),
                sale("d", "u4", 8, at(100))));
    PAssert.that(eventsPerGroupThroughATableOfOne(rows, List.of(sessions)))
        .containsInAnyOrder("0 us 2", "0 us 1", "0 fr 1");
    pipeline.run();
  }

  @Test
  public void firesOnTimeWhenTheWatermarkPassesTheWindow() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", "u1", 10, at(5)), sale("b", "u2", 20, at(50)))
            .advanceWatermarkTo(at(61))
            .advanceWatermarkToInfinity();
    PAssert.that(compute(pipeline.apply(events), PER_MINUTE))
        .containsInAnyOrder(
            "us [0,60) ON_TIME 2 events=2.0 revenue=30.0 smallest=10.0 largest=20.0 average=15.0 buyers=2.0");
    pipeline.run();
  }

  @Test
  public void firesEarlyBeforeTheWindowCloses() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", "u1", 10, at(5)))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements(sale("b", "u2", 20, at(50)))
            .advanceWatermarkToInfinity();
    PAssert.that(compute(pipeline.apply(events), PER_MINUTE))
        .containsInAnyOrder(
            "us [0,60) EARLY 1 events=1.0 revenue=10.0 smallest=10.0 largest=10.0 average=10.0 buyers=1.0",
            "us [0,60) ON_TIME 2 events=2.0 revenue=30.0 smallest=10.0 largest=20.0 average=15.0 buyers=2.0");
    pipeline.run();
  }

  @Test
  public void updatesTheWindowWithLateEventsWithinTheAllowedLateness() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", "u1", 10, at(5)))
            .advanceWatermarkTo(at(120))
            .addElements(sale("late", "u3", 5, at(30)))
            .advanceWatermarkToInfinity();
    PAssert.that(compute(pipeline.apply(events), PER_MINUTE))
        .containsInAnyOrder(
            "us [0,60) ON_TIME 1 events=1.0 revenue=10.0 smallest=10.0 largest=10.0 average=10.0 buyers=1.0",
            "us [0,60) LATE 2 events=2.0 revenue=15.0 smallest=5.0 largest=10.0 average=7.5 buyers=2.0");
    pipeline.run();
  }

  @Test
  public void dropsEventsLaterThanTheAllowedLateness() {
    TestStream<Row> events =
        stream()
            .addElements(sale("a", "u1", 10, at(5)))
            .advanceWatermarkTo(at(60 + 6 * 60))
            .addElements(sale("too-late", "u3", 5, at(30)))
            .advanceWatermarkToInfinity();
    PAssert.that(compute(pipeline.apply(events), PER_MINUTE))
        .containsInAnyOrder(
            "us [0,60) ON_TIME 1 events=1.0 revenue=10.0 smallest=10.0 largest=10.0 average=10.0 buyers=1.0");
    pipeline.run();
  }

  @Test
  public void aRunnerThatFiresEachWindowOnceWithoutTimingItServesThatPaneAsOnTime() {
    // Flink's batch runner does not run the trigger and marks its single pane UNKNOWN.
    assertThat(ToServingRows.timing(PaneInfo.NO_FIRING), equalTo("ON_TIME"));
    assertThat(
        ToServingRows.timing(PaneInfo.createPane(false, false, PaneInfo.Timing.LATE, 1, 1)),
        equalTo("LATE"));
  }
}
