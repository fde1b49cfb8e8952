package railyard.io.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;
import static railyard.io.serving.ServingRows.row;
import static railyard.io.serving.ServingRows.speed;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;
import railyard.model.ServingRow.ServingRowCoder;
import railyard.testing.Counters;
import railyard.transforms.RailyardMetrics;

@RunWith(JUnit4.class)
public class WriteServingTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private String location;

  @Before
  public void setUp() {
    location = "sqlite:" + new File(folder.getRoot(), "serving.db");
  }

  private static List<ServingRow> rows(int count) {
    List<ServingRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(speed(i % 2 == 0 ? "even" : "odd", "k" + i, 0, 60_000, 0));
    }
    return rows;
  }

  private long storedRows() {
    try (ServingStore store = ServingStore.open(location)) {
      return store.countRows();
    }
  }

  @Test
  public void writesEveryRowOfABoundedInput() {
    PCollection<Long> written =
        pipeline
            .apply(Create.of(rows(1_234)).withCoder(ServingRowCoder.of()))
            .apply(WriteServing.write().withLocation(location).withBatchSize(100));

    PAssert.that(written.apply(Sum.longsGlobally())).containsInAnyOrder(1_234L);
    pipeline.run().waitUntilFinish();

    assertThat(storedRows(), is(1_234L));
  }

  @Test
  public void countsRowsInTotalAndPerView() {
    pipeline
        .apply(Create.of(rows(11)).withCoder(ServingRowCoder.of()))
        .apply(WriteServing.write().withLocation(location).withBatchSize(3));

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertThat(counter(result, RailyardMetrics.SERVING_ROWS_WRITTEN), is(11L));
    assertThat(counter(result, RailyardMetrics.SERVING_ROWS + "even"), is(6L));
    assertThat(counter(result, RailyardMetrics.SERVING_ROWS + "odd"), is(5L));
  }

  private static long counter(PipelineResult result, String name) {
    return Counters.sum(result, RailyardMetrics.NAMESPACE, name);
  }

  /**
   * Early, on-time and late firings of one window arrive in turn, at the end-of-window timestamp a
   * windowed aggregation gives them; the store keeps the last.
   */
  @Test
  public void writesEveryPaneOfAStreamAndKeepsTheNewest() {
    Instant windowEnd = new Instant(60_000);
    Instant firingTime = windowEnd.minus(Duration.millis(1));
    TestStream<ServingRow> firings =
        TestStream.create(ServingRowCoder.of())
            .addElements(at(row("v", "a", 0, 60_000, Layer.SPEED, "EARLY", 0), firingTime))
            .advanceWatermarkTo(windowEnd)
            .addElements(at(row("v", "a", 0, 60_000, Layer.SPEED, "ON_TIME", 1), firingTime))
            .advanceWatermarkTo(windowEnd.plus(MINUTE))
            .addElements(at(row("v", "a", 0, 60_000, Layer.SPEED, "LATE", 2), firingTime))
            .advanceWatermarkToInfinity();

    PCollection<Long> written =
        pipeline.apply(firings).apply(WriteServing.write().withLocation(location));

    PAssert.that(written).satisfies(WriteServingTest::sumsToThree);
    pipeline.run().waitUntilFinish();

    try (ServingStore store = ServingStore.open(location)) {
      assertThat(
          store.readMerged("v"), contains(row("v", "a", 0, 60_000, Layer.SPEED, "LATE", 2)));
    }
  }

  private static Void sumsToThree(Iterable<Long> counts) {
    long sum = 0;
    for (long count : counts) {
      sum += count;
    }
    assertThat(sum, is(3L));
    return null;
  }

  /** Counts come out in the rows' own windows, so a caller can wait on each window's writes. */
  @Test
  public void countsAreEmittedInTheWindowsOfTheRowsWritten() {
    Instant start = new Instant(0);
    TestStream<ServingRow> rows =
        TestStream.create(ServingRowCoder.of())
            .addElements(
                at(speed("v", "a", 0, 60_000, 0), start.plus(10)),
                at(speed("v", "b", 0, 60_000, 0), start.plus(20)))
            .addElements(at(speed("v", "a", 60_000, 120_000, 0), start.plus(MINUTE).plus(5)))
            .advanceWatermarkToInfinity();

    PCollection<Long> written =
        pipeline
            .apply(rows)
            .apply(Window.into(FixedWindows.of(MINUTE)))
            .apply(WriteServing.write().withLocation(location));

    PCollection<Long> perWindow = written.apply(Sum.longsGlobally().withoutDefaults());
    PAssert.that(perWindow).inWindow(new IntervalWindow(start, MINUTE)).containsInAnyOrder(2L);
    PAssert.that(perWindow)
        .inWindow(new IntervalWindow(start.plus(MINUTE), MINUTE))
        .containsInAnyOrder(1L);
    pipeline.run().waitUntilFinish();
  }

  private static TimestampedValue<ServingRow> at(ServingRow row, Instant timestamp) {
    return TimestampedValue.of(row, timestamp);
  }

  @Test
  public void mergingViewsReachTheStore() {
    pipeline
        .apply(
            Create.of(speed("s", "a", 0, 50, 0), speed("s", "a", 0, 100, 0))
                .withCoder(ServingRowCoder.of()))
        .apply(WriteServing.write().withLocation(location).withMergingViews(Set.of("s")));
    pipeline.run().waitUntilFinish();

    try (ServingStore store = ServingStore.open(location)) {
      assertThat(store.readMerged("s"), contains(speed("s", "a", 0, 100, 0)));
    }
  }

  @Test
  public void expandWithoutALocationSaysToCallWithLocation() {
    Pipeline unrun = Pipeline.create();
    PCollection<ServingRow> input = unrun.apply(Create.empty(ServingRowCoder.of()));

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> input.apply(WriteServing.write()));

    assertThat(error.getMessage(), containsString("withLocation("));
  }

  @Test
  public void expandRejectsALocationThatIsNotAStore() {
    Pipeline unrun = Pipeline.create();
    PCollection<ServingRow> input = unrun.apply(Create.empty(ServingRowCoder.of()));

    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> input.apply(WriteServing.write().withLocation("serving.csv")));

    assertThat(error.getMessage(), containsString("serving.csv"));
  }

  @Test
  public void batchSizeMustBePositive() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> WriteServing.write().withBatchSize(0));

    assertThat(error.getMessage(), containsString("withBatchSize(0)"));
  }
}
