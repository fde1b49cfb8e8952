package railyard.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
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
import railyard.schema.DeclaredSchema;

@RunWith(JUnit4.class)
public class DeduplicateEventsTest {
  private static final Duration HORIZON = Duration.standardMinutes(1);
  private static final DeduplicateEvents TIMED = DeduplicateEvents.create().withHorizon(HORIZON);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Row copy(String id, Instant receivedAt) {
    return Events.row(id, "u", "us", 1.0, receivedAt);
  }

  /** The ids that pass {@code dedupe} when e1 is received, then received again {@code gap} later. */
  private PCollection<String> idsAfterAResend(Duration gap, DeduplicateEvents dedupe) {
    Instant again = Events.T0.plus(gap);
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(Events.SCHEMA.rowSchema()))
            .addElements(TimestampedValue.of(copy("e1", Events.T0), Events.T0))
            .advanceWatermarkTo(again)
            .addElements(TimestampedValue.of(copy("e1", again), again))
            .advanceWatermarkToInfinity();
    return ids(pipeline.apply(stream).apply(dedupe));
  }

  /** A kept row as its receipt time, its element timestamp and its window. */
  private static final class ReceiptTimeAndWindowFn extends DoFn<Row, String> {
    @ProcessElement
    public void process(
        @Element Row row, @Timestamp Instant at, BoundedWindow window, OutputReceiver<String> out) {
      String where = window instanceof GlobalWindow ? "the global window" : window.toString();
      Instant receivedAt = row.getDateTime(DeclaredSchema.RECEIVED_AT).toInstant();
      out.output(receivedAt + " at " + at + " in " + where);
    }
  }

  /** Each row {@code dedupe} keeps of {@code copies}, as its receipt time, timestamp and window. */
  @SafeVarargs
  private PCollection<String> keptOf(DeduplicateEvents dedupe, TimestampedValue<Row>... copies) {
    return pipeline
        .apply(Create.timestamped(List.of(copies)).withCoder(RowCoder.of(Events.SCHEMA.rowSchema())))
        .apply(dedupe)
        .apply(ParDo.of(new ReceiptTimeAndWindowFn()));
  }

  private static TimestampedValue<Row> copyAt(String id, Instant receivedAt) {
    return TimestampedValue.of(copy(id, receivedAt), receivedAt);
  }

  private static PCollection<String> ids(PCollection<Row> rows) {
    return rows.apply(MapElements.into(TypeDescriptors.strings()).via(r -> r.getString("id")));
  }

  @Test
  public void keepsOneCopyOfEachEventInABatch() {
    PCollection<Row> rows =
        pipeline
            .apply(
                Create.of(copy("e1", Events.T0), copy("e1", Events.T0.plus(5000)), copy("e2", Events.T0))
                    .withCoder(RowCoder.of(Events.SCHEMA.rowSchema())))
            .apply(DeduplicateEvents.create().withHorizon(HORIZON));
    PAssert.that(ids(rows)).containsInAnyOrder("e1", "e2");
    pipeline.run();
  }

  @Test
  public void keepsTheFirstReceivedCopyOfABatchAtItsOwnTimeInTheGlobalWindow() {
    Instant decadeLater = Events.T0.plus(Duration.standardDays(3653));
    PCollection<String> kept =
        keptOf(
            DeduplicateEvents.create().withHorizon(HORIZON),
            copyAt("e1", decadeLater),
            copyAt("e1", Events.T0));
    PAssert.that(kept).containsInAnyOrder(Events.T0 + " at " + Events.T0 + " in the global window");
    pipeline.run();
  }

  @Test
  public void foldsCopiesThatLeaveTheirBundleInDifferentBatches() {
    PCollection<Row> rows =
        pipeline
            .apply(
                Create.of(
                        copy("e1", Events.T0.plus(5000)),
                        copy("e2", Events.T0),
                        copy("e1", Events.T0),
                        copy("e3", Events.T0),
                        copy("e2", Events.T0.plus(9000)))
                    .withCoder(RowCoder.of(Events.SCHEMA.rowSchema())))
            .apply(DeduplicateEvents.create().withHorizon(HORIZON).withBatching(2, 1));
    PCollection<String> kept =
        rows.apply(
            MapElements.into(TypeDescriptors.strings())
                .via(r -> r.getString("id") + " received " + r.getDateTime(DeclaredSchema.RECEIVED_AT)));
    PAssert.that(kept)
        .containsInAnyOrder(
            "e1 received " + Events.T0, "e2 received " + Events.T0, "e3 received " + Events.T0);
    pipeline.run();
  }

  @Test
  public void keepsEachRowOfABucketAtItsOwnTime() {
    Instant hourLater = Events.T0.plus(Duration.standardHours(1));
    PCollection<String> kept =
        keptOf(
            DeduplicateEvents.create().withHorizon(HORIZON).withBatching(1, 100),
            copyAt("e1", hourLater),
            copyAt("e2", Events.T0));
    PAssert.that(kept)
        .containsInAnyOrder(
            Events.T0 + " at " + Events.T0 + " in the global window",
            hourLater + " at " + hourLater + " in the global window");
    pipeline.run();
  }

  @Test
  public void keptRowsAreOnTimeForWindowsDownstream() {
    List<TimestampedValue<Row>> minutes = new ArrayList<>();
    for (int m = 9; m >= 0; m--) {
      Instant at = Events.T0.plus(Duration.standardMinutes(m));
      minutes.add(copyAt("e" + m, at));
    }
    PCollection<Long> perMinute =
        pipeline
            .apply(Create.timestamped(minutes).withCoder(RowCoder.of(Events.SCHEMA.rowSchema())))
            .apply(DeduplicateEvents.create().withHorizon(HORIZON).withBatching(3, 2))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply(Combine.globally(Count.<Row>combineFn()).withoutDefaults());
    PAssert.that(perMinute).containsInAnyOrder(Collections.nCopies(10, 1L));
    pipeline.run();
  }

  @Test
  public void dropsACopyReceivedWithinTheHorizonOfAStream() {
    PAssert.that(idsAfterAResend(Duration.standardSeconds(30), TIMED))
        .containsInAnyOrder("e1");
    pipeline.run();
  }

  @Test
  public void keepsACopyReceivedAfterTheHorizonHasPassed() {
    PAssert.that(idsAfterAResend(Duration.standardMinutes(5), TIMED))
        .containsInAnyOrder("e1", "e1");
    pipeline.run();
  }

  @Test
  public void catchesTheResendOfALateEvent() {
    Instant watermark = Events.T0.plus(Duration.standardMinutes(10));
    Instant oldEventTime = Events.T0;
    Row late = Events.row("e9", "u", "us", 1.0, oldEventTime);
    Row lateReceivedNow =
        Row.fromRow(late).withFieldValue("_received_at", watermark).build();
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(Events.SCHEMA.rowSchema()))
            .advanceWatermarkTo(watermark)
            .addElements(TimestampedValue.of(lateReceivedNow, oldEventTime))
            .addElements(TimestampedValue.of(lateReceivedNow, oldEventTime))
            .advanceWatermarkToInfinity();
    PCollection<Row> rows =
        pipeline.apply(stream).apply(DeduplicateEvents.create().withHorizon(HORIZON));
    PAssert.that(ids(rows)).containsInAnyOrder("e9");
    pipeline.run();
  }

  /** Stamps each row a day earlier than it came, as a step that sets event times does. */
  private static final class ADayEarlierFn extends DoFn<Row, Row> {
    @ProcessElement
    public void process(@Element Row row, @Timestamp Instant at, OutputReceiver<Row> out) {
      out.outputWithTimestamp(row, at.minus(Duration.standardDays(1)));
    }

    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.standardDays(1);
    }
  }

  @Test
  public void keepsABatchRowStampedBehindTheWatermarkAtItsOwnTime() {
    PCollection<Row> rows =
        pipeline
            .apply(
                Create.timestamped(List.of(copyAt("e1", Events.T0), copyAt("e2", Events.T0.plus(5000))))
                    .withCoder(RowCoder.of(Events.SCHEMA.rowSchema())))
            .apply(ParDo.of(new ADayEarlierFn()))
            .setRowSchema(Events.SCHEMA.rowSchema())
            .apply(DeduplicateEvents.create().withHorizon(HORIZON));

    Instant e2 = Events.T0.plus(5000);
    Duration day = Duration.standardDays(1);
    PAssert.that(rows.apply(ParDo.of(new ReceiptTimeAndWindowFn())))
        .containsInAnyOrder(
            Events.T0 + " at " + Events.T0.minus(day) + " in the global window",
            e2 + " at " + e2.minus(day) + " in the global window");
    pipeline.run();
  }
}
