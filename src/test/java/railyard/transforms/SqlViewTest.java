package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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
import railyard.schema.MetricSpec;
import railyard.schema.SqlViewSpec;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * An SQL view gives exactly the serving rows of the same view written as metrics, pane for pane:
 * in batch, and in streaming with early, on-time and late panes and data beyond the lateness.
 */
@RunWith(JUnit4.class)
public class SqlViewTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final Duration LATENESS = Duration.standardMinutes(5);
  private static final Duration EARLY = Duration.standardSeconds(10);

  private static final SqlViewSpec BY_COUNTRY =
      new SqlViewSpec(
          "SELECT country, COUNT(*) AS event_count, COUNT(*) AS events, SUM(amount) AS revenue,"
              + " MIN(amount) AS smallest, MAX(amount) AS largest,"
              + " SUM(amount) / COUNT(amount) AS average"
              + " FROM PCOLLECTION GROUP BY country",
          List.of("country"),
          List.of("events", "revenue", "smallest", "largest", "average"));

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static ViewSpec metricsView(WindowSpec window, Duration early) {
    return new ViewSpec(
        "sales",
        window,
        List.of("country"),
        List.of(
            new MetricSpec("events", MetricSpec.Op.COUNT, null),
            new MetricSpec("revenue", MetricSpec.Op.SUM, "amount"),
            new MetricSpec("smallest", MetricSpec.Op.MIN, "amount"),
            new MetricSpec("largest", MetricSpec.Op.MAX, "amount"),
            new MetricSpec("average", MetricSpec.Op.MEAN, "amount")),
        early,
        LATENESS);
  }

  private static ViewSpec sqlView(WindowSpec window, Duration early) {
    return ViewSpec.ofSql("sales", window, BY_COUNTRY, early, LATENESS);
  }

  private static TimestampedValue<Row> sale(String id, String country, double amount, int second) {
    Instant at = Events.T0.plus(Duration.standardSeconds(second));
    return TimestampedValue.of(Events.row(id, "u-" + id, country, amount, at), at);
  }

  private static Instant at(int second) {
    return Events.T0.plus(Duration.standardSeconds(second));
  }

  private static PCollection<String> served(PCollection<Row> rows, ViewSpec view, String step) {
    return rows.apply(step, ComputeViews.of(List.of(view)).withLayer(ServingRow.Layer.SPEED))
        .apply(step + " described", MapElements.into(TypeDescriptors.strings()).via(ComputeViewsTest::describe));
  }

  /** Rows one side served and the other did not, as "sql only: …" or "metrics only: …". */
  private static PCollection<String> differences(PCollection<String> sql, PCollection<String> metrics) {
    PCollection<KV<String, String>> tagged =
        PCollectionList.of(
                sql.apply("tag sql", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings())).via(r -> KV.of(r, "sql"))))
            .and(metrics.apply("tag metrics", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings())).via(r -> KV.of(r, "metrics"))))
            .apply(Flatten.pCollections());
    return tagged
        // Serving rows leave their windows for the global one; compare them once all are in.
        .apply(
            Window.<KV<String, String>>configure()
                .triggering(Repeatedly.forever(AfterWatermark.pastEndOfWindow()))
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply(GroupByKey.create())
        .apply(
            ParDo.of(
                new DoFn<KV<String, Iterable<String>>, String>() {
                  @ProcessElement
                  public void process(@Element KV<String, Iterable<String>> row, OutputReceiver<String> out) {
                    long sql = 0;
                    long metrics = 0;
                    for (String side : row.getValue()) {
                      if (side.equals("sql")) {
                        sql++;
                      } else {
                        metrics++;
                      }
                    }
                    if (sql != metrics) {
                      out.output(row.getKey() + ": sql " + sql + " times, metrics " + metrics + " times");
                    }
                  }
                }));
  }

  private void assertSameRows(PCollection<Row> rows, WindowSpec window, Duration early) {
    PCollection<String> sql = served(rows, sqlView(window, early), "Sql view");
    PCollection<String> metrics = served(rows, metricsView(window, early), "Metrics view");
    PAssert.that("rows of one view only", differences(sql, metrics)).empty();
    PAssert.that("the SQL view served rows", sql).satisfies(r -> {
      assertThat("some rows", r.iterator().hasNext(), org.hamcrest.Matchers.is(true));
      return null;
    });
  }

  private PCollection<Row> bounded() {
    List<TimestampedValue<Row>> sales = new ArrayList<>();
    String[] countries = {"us", "fr", "de"};
    for (int i = 0; i < 60; i++) {
      sales.add(sale("e" + i, countries[i % 3], 1.5 * (i % 7), i * 7));
    }
    return pipeline.apply(Create.timestamped(sales).withCoder(RowCoder.of(Events.SCHEMA.rowSchema())));
  }

  @Test
  public void fixedWindowsInBatchEqualTheMetricsView() {
    assertSameRows(bounded(), WindowSpec.fixed(MINUTE), null);
    pipeline.run();
  }

  @Test
  public void slidingWindowsInBatchEqualTheMetricsView() {
    assertSameRows(bounded(), WindowSpec.sliding(Duration.standardMinutes(2), MINUTE), null);
    pipeline.run();
  }

  @Test
  public void sessionsInBatchEqualTheMetricsView() {
    assertSameRows(bounded(), WindowSpec.session(Duration.standardSeconds(20)), null);
    pipeline.run();
  }

  @Test
  public void earlyOnTimeAndLatePanesOfAStreamEqualTheMetricsView() {
    TestStream<Row> events =
        TestStream.create(RowCoder.of(Events.SCHEMA.rowSchema()))
            .addElements(sale("a", "us", 10, 5), sale("b", "fr", 4, 20))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements(sale("c", "us", 20, 50))
            .advanceWatermarkTo(at(120))
            .addElements(sale("late", "us", 5, 30))
            .advanceWatermarkTo(at(60 + 7 * 60))
            .addElements(sale("too-late", "us", 1, 40))
            .advanceWatermarkToInfinity();
    PCollection<Row> rows = pipeline.apply(events);
    assertSameRows(rows, WindowSpec.fixed(MINUTE), EARLY);
    PAssert.that(served(rows, sqlView(WindowSpec.fixed(MINUTE), EARLY), "Sql view alone"))
        .containsInAnyOrder(
            "us [0,60) EARLY 1 events=1.0 revenue=10.0 smallest=10.0 largest=10.0 average=10.0",
            "fr [0,60) EARLY 1 events=1.0 revenue=4.0 smallest=4.0 largest=4.0 average=4.0",
            "us [0,60) ON_TIME 2 events=2.0 revenue=30.0 smallest=10.0 largest=20.0 average=15.0",
            "fr [0,60) ON_TIME 1 events=1.0 revenue=4.0 smallest=4.0 largest=4.0 average=4.0",
            "us [0,60) LATE 3 events=3.0 revenue=35.0 smallest=5.0 largest=20.0 average=11.666666666666666");
    pipeline.run();
  }

  @Test
  public void sessionsOfAStreamEqualTheMetricsView() {
    TestStream<Row> events =
        TestStream.create(RowCoder.of(Events.SCHEMA.rowSchema()))
            .addElements(sale("a", "us", 10, 5), sale("b", "us", 4, 15))
            .advanceWatermarkTo(at(100))
            .addElements(sale("c", "us", 2, 25), sale("d", "fr", 3, 200))
            .advanceWatermarkToInfinity();
    assertSameRows(pipeline.apply(events), WindowSpec.session(Duration.standardSeconds(20)), null);
    pipeline.run();
  }

  @Test
  public void aViewWithoutSqlIsRefusedByName() {
    PCollection<Row> rows =
        Pipeline.create()
            .apply(Create.empty(RowCoder.of(Events.SCHEMA.rowSchema())))
            .setRowSchema(Events.SCHEMA.rowSchema());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply(SqlView.create().withView(metricsView(WindowSpec.fixed(MINUTE), null))));
    assertThat(e.getMessage(), containsString("view sales has no SQL"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }
}
