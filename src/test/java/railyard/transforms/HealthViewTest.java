package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
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
import railyard.model.DeadLetter;
import railyard.model.RawEvent;
import railyard.model.ServingRow;
import railyard.schema.AlertRule;
import railyard.schema.DeclaredSchema;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * The reserved health view: received events and bytes, dead letters by reason, valid, unique, late
 * and dropped events a minute, and the columns derived from them.
 */
@RunWith(JUnit4.class)
public class HealthViewTest {
  private static final Duration LATENESS = Duration.standardMinutes(5);
  private static final Schema TIMES =
      Schema.builder()
          .addDateTimeField(DeclaredSchema.EVENT_TIME)
          .addDateTimeField(DeclaredSchema.RECEIVED_AT)
          .build();
  private static final List<String> SHOWN =
      List.of(
          HealthView.RECEIVED,
          HealthView.VOLUME_BYTES,
          HealthView.DEAD_LETTERS,
          "invalid_malformed_json",
          HealthView.INVALID_OTHER,
          HealthView.VALID,
          HealthView.UNIQUE,
          HealthView.DUPLICATES,
          HealthView.LATE,
          HealthView.DROPPED);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Instant at(int seconds) {
    return Events.T0.plus(Duration.standardSeconds(seconds));
  }

  private static TimestampedValue<RawEvent> raw(int seconds, String payload) {
    return TimestampedValue.of(
        new RawEvent("test", at(seconds).getMillis(), payload.getBytes(StandardCharsets.UTF_8), Map.of()),
        at(seconds));
  }

  private static TimestampedValue<DeadLetter> deadLetter(int seconds, String reason) {
    return TimestampedValue.of(
        new DeadLetter(DeadLetter.Stage.PARSE, reason, "bad", new byte[0], "test",
            at(seconds).getMillis(), at(seconds).getMillis()),
        at(seconds));
  }

  /** A valid event with its event time and receipt time, stamped with its event time. */
  private static TimestampedValue<Row> valid(int eventSecond, int receivedSecond) {
    return TimestampedValue.of(
        Row.withSchema(TIMES)
            .addValues(at(eventSecond).toDateTime(), at(receivedSecond).toDateTime())
            .build(),
        at(eventSecond));
  }

  /** A health row as "[start,end) PANE name=value…" with the counts of {@link #SHOWN}. */
  private static String describe(ServingRow row) {
    return String.format(
        "[%d,%d) %s %s",
        (row.windowStart() - Events.T0.getMillis()) / 1000,
        (row.windowEnd() - Events.T0.getMillis()) / 1000,
        row.pane(),
        SHOWN.stream()
            .map(c -> c + "=" + row.metrics().getOrDefault(c, -1.0).longValue())
            .collect(Collectors.joining(" ")));
  }

  private PCollection<String> health(
      PCollection<RawEvent> received,
      PCollection<DeadLetter> deadLetters,
      PCollection<Row> valid,
      PCollection<Row> unique) {
    return healthRows(
            PCollectionList.of(received.apply("R", HealthMarks.received()))
                .and(deadLetters.apply("D", HealthMarks.deadLetters()))
                .and(valid.apply("V", HealthMarks.valid()))
                .and(unique.apply("X", HealthMarks.dropped(LATENESS)))
                .and(unique.apply("U", HealthView.<Row>mark(HealthView.UNIQUE)))
                .apply(Flatten.pCollections()))
        .apply(MapElements.into(TypeDescriptors.strings()).via(HealthViewTest::describe));
  }

  private static PCollection<ServingRow> healthRows(PCollection<Row> marks) {
    return marks
        .apply(ComputeViews.of(List.of(HealthView.spec(LATENESS))).withLayer(ServingRow.Layer.SPEED))
        .apply(HealthDerived.create());
  }

  private PCollection<Row> rows(String name, List<TimestampedValue<Row>> rows) {
    return pipeline.apply(name, Create.timestamped(rows).withCoder(RowCoder.of(TIMES)));
  }

  @Test
  public void countsEachKindOfMarkInItsMinute() {
    PCollection<String> rows =
        health(
            pipeline.apply("received", Create.timestamped(
                raw(1, "{\"a\":1}"), raw(2, "{"), raw(3, "{\"a\":1}"), raw(61, "xy"))),
            pipeline.apply("dead", Create.timestamped(
                deadLetter(2, "malformed_json"), deadLetter(61, "refused_by_sink"))),
            rows("valid", List.of(valid(1, 1), valid(3, 3), valid(3, 4))),
            rows("unique", List.of(valid(1, 1), valid(3, 3))));

    PAssert.that(rows)
        .containsInAnyOrder(
            "[0,60) ON_TIME received=3 volume_bytes=15 dead_letters=1 invalid_malformed_json=1"
                + " invalid_other=0 valid=3 unique=2 duplicates=1 late=0 dropped=0",
            "[60,120) ON_TIME received=1 volume_bytes=2 dead_letters=1 invalid_malformed_json=0"
                + " invalid_other=1 valid=0 unique=0 duplicates=0 late=0 dropped=0");
    pipeline.run();
  }

  @Test
  public void countsABoundedSourcesEventsAndDeadLettersInTheirMinuteOfReceipt() {
    // A bounded source leaves its events at the start of time; receipt time is in the records.
    PCollection<String> rows =
        health(
            pipeline.apply("received", Create.timestamped(
                atTheStartOfTime(raw(5, "{\"a\":1}")), atTheStartOfTime(raw(65, "{")))),
            pipeline.apply("dead", Create.timestamped(
                atTheStartOfTime(deadLetter(65, "malformed_json")))),
            rows("valid", List.of(valid(5, 5))),
            rows("unique", List.of(valid(5, 5))));

    PAssert.that(rows)
        .containsInAnyOrder(
            "[0,60) ON_TIME received=1 volume_bytes=7 dead_letters=0 invalid_malformed_json=0"
                + " invalid_other=0 valid=1 unique=1 duplicates=0 late=0 dropped=0",
            "[60,120) ON_TIME received=1 volume_bytes=1 dead_letters=1 invalid_malformed_json=1"
                + " invalid_other=0 valid=0 unique=0 duplicates=0 late=0 dropped=0");
    pipeline.run();
  }

  private static <T> TimestampedValue<T> atTheStartOfTime(TimestampedValue<T> value) {
    return TimestampedValue.of(value.getValue(), BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  @Test
  public void countsLateEventsInTheirMinuteOfReceiptAndABatchDropsNone() {
    // Event minute [0,60): received at 70 s on time, at 150 s late, at 400 s past 60 s + 5 min:
    // late too, but a batch run's watermark passes no window before the end, so none is dropped.
    PCollection<String> rows =
        health(
            pipeline.apply("received", Create.empty(RawEvent.RawEventCoder.of())),
            pipeline.apply("dead", Create.empty(DeadLetter.DeadLetterCoder.of())),
            rows("valid", List.of(valid(10, 70), valid(20, 150), valid(30, 400))),
            rows("unique", List.of()));

    PAssert.that(rows)
        .containsInAnyOrder(
            "[0,60) ON_TIME received=0 volume_bytes=0 dead_letters=0 invalid_malformed_json=0"
                + " invalid_other=0 valid=3 unique=0 duplicates=3 late=0 dropped=0",
            "[120,180) ON_TIME received=0 volume_bytes=0 dead_letters=0 invalid_malformed_json=0"
                + " invalid_other=0 valid=0 unique=0 duplicates=0 late=1 dropped=0",
            "[360,420) ON_TIME received=0 volume_bytes=0 dead_letters=0 invalid_malformed_json=0"
                + " invalid_other=0 valid=0 unique=0 duplicates=0 late=1 dropped=0");
    pipeline.run();
  }

  /** A year-old import: every event received a year after its minute, every window served. */
  @Test
  public void aBatchImportOfYearOldEventsDropsNoneAndRaisesNoDroppedAlert() {
    int year = 365 * 24 * 3600;
    List<TimestampedValue<Row>> events =
        List.of(valid(10, year + 10), valid(20, year + 11), valid(70, year + 12));
    PCollection<ServingRow> health =
        healthRows(
            PCollectionList.of(rows("valid", events).apply("V", HealthMarks.valid()))
                .and(rows("unique", events).apply("X", HealthMarks.dropped(LATENESS)))
                .and(rows("unique again", events).apply("U", HealthView.<Row>mark(HealthView.UNIQUE)))
                .apply(Flatten.pCollections()));

    PAssert.that(
            health.apply(
                MapElements.into(TypeDescriptors.longs())
                    .via(row -> row.metrics().getOrDefault(HealthView.DROPPED, -1.0).longValue())))
        .satisfies(
            dropped -> {
              assertThat(dropped, everyItem(equalTo(0L)));
              return null;
            });
    PAssert.that(health.apply(EvaluateAlerts.of(List.of(ANY_DROPPED)).withPipelineName("p"))).empty();
    pipeline.run();
  }

  private static final AlertRule ANY_DROPPED =
      new AlertRule("dropped", HealthView.NAME, HealthView.DROPPED, AlertRule.Condition.ABOVE, 0.0,
          0, AlertRule.Severity.WARNING, 1, 1, null);

  /**
   * A stream whose watermark has passed minute [0,60) plus the 5 min allowed lateness when two of
   * its events arrive (received at 400 s): the views drop those two, and health counts exactly
   * them in their minute of receipt; an event on time at the same moment is not counted.
   */
  @Test
  public void aStreamCountsExactlyTheEventsTheViewsDropInTheirMinuteOfReceipt() {
    TestStream<Row> unique =
        TestStream.create(RowCoder.of(TIMES))
            .addElements(valid(1, 1), valid(2, 2))
            .advanceWatermarkTo(at(390))
            .addElements(valid(30, 400), valid(40, 401), valid(385, 402))
            .advanceWatermarkToInfinity();
    PCollection<Row> events = pipeline.apply("unique", unique);

    PCollection<ServingRow> health =
        healthRows(
            PCollectionList.of(events.apply("X", HealthMarks.dropped(LATENESS)))
                .and(events.apply("U", HealthView.<Row>mark(HealthView.UNIQUE)))
                .apply(Flatten.pCollections()));
    PCollection<KV<String, ViewResult>> view =
        events.apply(
            "View",
            AggregateView.create()
                .withView(
                    new ViewSpec("all", WindowSpec.fixed(Duration.standardMinutes(1)), List.of(),
                        List.of(new MetricSpec("events", MetricSpec.Op.COUNT, null)), null, LATENESS)));

    PAssert.that(health)
        .satisfies(
            panes -> {
              // The minute [0,60) may count the dropped events' unique marks in a late pane: the
              // health view's own watermark can trail the views' when they arrive.
              assertThat(newestPanes(panes),
                  equalTo(List.of("[0,60) dropped=0", "[360,420) dropped=2")));
              return null;
            });
    PAssert.that(view.apply(Values.create()).apply(MapElements.into(TypeDescriptors.longs()).via(ViewResult::events)))
        .satisfies(
            counts -> {
              long max = 0;
              for (long c : counts) {
                max = Math.max(max, c);
              }
              assertThat("the view's minute [0,60) never saw the two dropped events", max, equalTo(2L));
              return null;
            });
    pipeline.run();
  }

  /** Each window's newest pane as "[start,end) dropped=…", in window order. */
  private static List<String> newestPanes(Iterable<ServingRow> panes) {
    Map<Long, ServingRow> newest = new java.util.TreeMap<>();
    for (ServingRow pane : panes) {
      newest.merge(pane.windowStart(), pane, (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
    }
    return newest.values().stream()
        .map(row -> String.format("[%d,%d) dropped=%d",
            (row.windowStart() - Events.T0.getMillis()) / 1000,
            (row.windowEnd() - Events.T0.getMillis()) / 1000,
            row.metrics().getOrDefault(HealthView.DROPPED, 0.0).longValue()))
        .toList();
  }

  @Test
  public void aStreamFiresTheMinuteOnceOnTimeAndItsNewestPaneCountsALateEventToo() {
    TestStream<Row> unique =
        TestStream.create(RowCoder.of(TIMES))
            .addElements(valid(1, 1), valid(2, 2))
            .advanceWatermarkTo(at(61))
            .addElements(valid(30, 62))
            .advanceWatermarkToInfinity();

    PCollection<ServingRow> rows =
        healthRows(pipeline.apply("unique", unique).apply(HealthView.<Row>mark(HealthView.UNIQUE)));

    // Whether the event at 30 s reaches the minute's on-time pane or a late one depends on when a
    // runner lets the watermark through (Flink holds it until the bundle ends, so the event can
    // overtake it). What every runner must give: one on-time pane with at least the two on-time
    // events, later panes only late ones, and the newest pane counts all three.
    PAssert.that(rows)
        .satisfies(
            panes -> {
              List<ServingRow> all = new ArrayList<>();
              panes.forEach(all::add);
              all.sort(Comparator.comparingLong(ServingRow::paneIndex));
              assertThat(all.stream().map(ServingRow::pane).toList().subList(1, all.size()),
                  everyItem(equalTo("LATE")));
              assertThat(all.get(0).pane(), equalTo("ON_TIME"));
              assertThat(all.get(0).metrics().get(HealthView.UNIQUE), greaterThanOrEqualTo(2.0));
              assertThat(all.get(all.size() - 1).metrics().get(HealthView.UNIQUE), equalTo(3.0));
              assertThat(all.stream().map(ServingRow::windowStart).distinct().toList(),
                  equalTo(List.of(Events.T0.getMillis())));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void freshnessLagIsTheComputeTimeLessTheNewestEventTime() {
    ServingRow row =
        HealthDerived.derive(
            new ServingRow(HealthView.NAME, "", 0, 60_000,
                Map.of(HealthView.NEWEST_EVENT_TIME, 50_000.0, HealthView.RECEIVED, 4.0,
                    HealthView.DEAD_LETTERS, 1.0),
                4, ServingRow.Layer.SPEED, "ON_TIME", 0, 95_000));

    assertThat(row.metrics().get(HealthView.FRESHNESS_LAG_SECONDS), closeTo(45.0, 1e-9));
    assertThat(row.metrics().get(HealthView.INVALID_RATIO), closeTo(0.25, 1e-9));
  }

  @Test
  public void aMinuteWithNothingReceivedHasNoInvalidRatio() {
    ServingRow row =
        HealthDerived.derive(
            new ServingRow(HealthView.NAME, "", 0, 60_000, Map.of(HealthView.UNIQUE, 2.0), 2,
                ServingRow.Layer.SPEED, "ON_TIME", 0, 95_000));

    assertThat(row.metrics(), not(hasKey(HealthView.INVALID_RATIO)));
    assertThat(row.metrics().get(HealthView.DUPLICATES), equalTo(0.0));
  }
}
