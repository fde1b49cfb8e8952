package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.schema.DeclaredSchema;

/**
 * Health marks of {@value HealthView#DROPPED} events: those a stream's views drop as too late,
 * because they reached the views after the watermark had passed the end of their event-time
 * minute plus the allowed lateness. Each counts in its minute of receipt. A bounded input drops
 * nothing for lateness (its watermark passes every window only at its end), so it has no marks.
 *
 * <p>Beam decides lateness against the watermark, which no step can read; so the runner decides
 * here too, by the same rule. Each event is moved on by the allowed lateness, into minute windows
 * offset by as much: such a window ends exactly when a view's minute stops taking the event. The
 * runner's own trigger then puts an event that arrived before that into the window's on-time pane
 * and one that arrived after into a late pane: the late panes hold the dropped events. Windows are
 * kept {@link #COUNTED_FOR} past that end; an event later still is dropped here as well, uncounted
 * (Beam's {@code droppedDueToLateness} of this step counts it).
 */
public final class MarkDroppedEvents extends PTransform<PCollection<Row>, PCollection<Row>> {
  static final Duration COUNTED_FOR = Duration.standardDays(90);

  private final Duration allowedLateness;

  private MarkDroppedEvents(Duration allowedLateness) {
    this.allowedLateness = allowedLateness;
  }

  /** Marks the events dropped behind the views' {@code allowedLateness}. */
  public static MarkDroppedEvents withAllowedLateness(Duration allowedLateness) {
    return new MarkDroppedEvents(allowedLateness);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> events) {
    checkArgument(
        allowedLateness != null && !allowedLateness.isShorterThan(Duration.ZERO),
        "MarkDroppedEvents needs an allowed lateness of 0 or more, was %s",
        allowedLateness);
    checkArgument(
        events.hasSchema() && events.getSchema().hasField(DeclaredSchema.RECEIVED_AT),
        "MarkDroppedEvents needs rows with %s",
        DeclaredSchema.RECEIVED_AT);
    if (events.isBounded() == PCollection.IsBounded.BOUNDED) {
      return events.getPipeline().apply("NothingDropped", Create.empty(RowCoder.of(HealthView.MARKS)));
    }
    long offset = allowedLateness.getMillis() % HealthView.WINDOW.getMillis();
    return events
        .apply("ByMinuteOfReceipt", ParDo.of(new AtDeadlineFn(allowedLateness)))
        .setCoder(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()))
        .apply(
            "MinutesEndingAtTheDeadline",
            Window.<KV<Long, Long>>into(
                    FixedWindows.of(HealthView.WINDOW).withOffset(Duration.millis(offset)))
                .triggering(
                    AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(COUNTED_FOR)
                .discardingFiredPanes())
        .apply("Count", Sum.longsPerKey())
        .apply("LatePanes", ParDo.of(new LatePaneMarkFn()))
        .setRowSchema(HealthView.MARKS)
        .apply(
            "BackInTheGlobalWindow",
            Window.<Row>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes());
  }

  /** Each event as (its minute of receipt, 1), moved on by the allowed lateness. */
  private static final class AtDeadlineFn extends DoFn<Row, KV<Long, Long>> {
    private final Duration allowedLateness;

    AtDeadlineFn(Duration allowedLateness) {
      this.allowedLateness = allowedLateness;
    }

    @ProcessElement
    public void process(
        @Element Row event, @Timestamp Instant timestamp, OutputReceiver<KV<Long, Long>> out) {
      long receivedAt = event.getDateTime(DeclaredSchema.RECEIVED_AT).getMillis();
      long minute = receivedAt - Math.floorMod(receivedAt, HealthView.WINDOW.getMillis());
      out.outputWithTimestamp(KV.of(minute, 1L), timestamp.plus(allowedLateness));
    }
  }

  /**
   * A late pane's count as a dropped mark in its minute of receipt, or at the pane's timestamp where
   * that is later (a mark is never stamped back behind the watermark).
   */
  private static final class LatePaneMarkFn extends DoFn<KV<Long, Long>, Row> {
    @ProcessElement
    public void process(
        @Element KV<Long, Long> count, @Timestamp Instant timestamp, PaneInfo pane, OutputReceiver<Row> out) {
      if (pane.getTiming() != PaneInfo.Timing.LATE) {
        return;
      }
      Instant minute = new Instant(count.getKey());
      out.outputWithTimestamp(
          HealthMarks.mark(HealthView.MARKS.indexOf(HealthView.DROPPED), count.getValue(), null),
          minute.isAfter(timestamp) ? minute : timestamp);
    }
  }
}
