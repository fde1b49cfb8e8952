package railyard.transforms;

import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;

/**
 * Turns elements into {@link HealthView} marks: one small row of counts per element, summed by the
 * health view's combine. Marking is a map on a collection the job already has, so health costs no
 * shuffle of its own.
 */
public final class HealthMarks {
  /**
   * How long after the end of its event-time minute an event may be received and still count as
   * on time. Sources hold their watermark a little behind receipt time, so an event received within
   * a minute of its window's end is normally not behind the watermark.
   */
  static final Duration LATE_AFTER = HealthView.WINDOW;

  private HealthMarks() {}

  /** One count of {@code field} per element, at the element's timestamp. */
  public static <T> PTransform<PCollection<T>, PCollection<Row>> count(String field) {
    int index = HealthView.MARKS.indexOf(field);
    return of("Mark " + field, new DoFn<T, Row>() {
      @ProcessElement
      public void process(OutputReceiver<Row> out) {
        out.output(mark(index, 1L, null));
      }
    });
  }

  /** Each raw event: one received, and its payload's bytes as volume; in its minute of receipt. */
  public static PTransform<PCollection<RawEvent>, PCollection<Row>> received() {
    return of("Mark received", new DoFn<RawEvent, Row>() {
      @ProcessElement
      public void process(
          @Element RawEvent event, @Timestamp Instant timestamp, OutputReceiver<Row> out) {
        Long[] counts = zeros();
        counts[HealthView.MARKS.indexOf(HealthView.RECEIVED)] = 1L;
        counts[HealthView.MARKS.indexOf(HealthView.VOLUME_BYTES)] = (long) event.payload().length;
        out.outputWithTimestamp(row(counts, null), atReceipt(timestamp, event.receivedAt()));
      }
    });
  }

  /** Each dead letter: one dead letter and one invalid record of its reason; in its receipt minute. */
  public static PTransform<PCollection<DeadLetter>, PCollection<Row>> deadLetters() {
    return of("Mark dead letters", new DoFn<DeadLetter, Row>() {
      @ProcessElement
      public void process(
          @Element DeadLetter deadLetter, @Timestamp Instant timestamp, OutputReceiver<Row> out) {
        Long[] counts = zeros();
        counts[HealthView.MARKS.indexOf(HealthView.DEAD_LETTERS)] = 1L;
        counts[HealthView.MARKS.indexOf(HealthView.invalidColumn(deadLetter.reason()))] = 1L;
        out.outputWithTimestamp(row(counts, null), atReceipt(timestamp, deadLetter.receivedAt()));
      }
    });
  }

  /**
   * The receipt time, where it is later than the element's timestamp: a bounded source's events
   * are at the start of time (see {@link RawEvent}), a stream's already at their receipt time. Never
   * earlier, so a mark is never stamped back behind the watermark.
   */
  private static Instant atReceipt(Instant timestamp, long receivedAt) {
    return receivedAt > timestamp.getMillis() ? new Instant(receivedAt) : timestamp;
  }

  /**
   * Each valid event (before deduplication): one valid and its event time, in its minute of event
   * time. An event received more than {@link #LATE_AFTER} after its minute ended is also marked
   * late, in its minute of receipt. Whether the views dropped it is not a matter of receipt time
   * but of the watermark: see {@link #dropped}.
   */
  public static PTransform<PCollection<Row>, PCollection<Row>> valid() {
    return of("Mark valid", new DoFn<Row, Row>() {
      @ProcessElement
      public void process(@Element Row event, OutputReceiver<Row> out) {
        long eventTime = event.getDateTime(DeclaredSchema.EVENT_TIME).getMillis();
        long receivedAt = event.getDateTime(DeclaredSchema.RECEIVED_AT).getMillis();
        out.output(mark(HealthView.MARKS.indexOf(HealthView.VALID), 1L, eventTime));
        long windowEnd = eventTime - Math.floorMod(eventTime, HealthView.WINDOW.getMillis())
            + HealthView.WINDOW.getMillis();
        if (receivedAt >= windowEnd + LATE_AFTER.getMillis()) {
          out.outputWithTimestamp(
              mark(HealthView.MARKS.indexOf(HealthView.LATE), 1L, null), new Instant(receivedAt));
        }
      }
    });
  }

  /**
   * The events a stream's views drop for lateness, behind {@code allowedLateness}, as decided by
   * the runner against the watermark ({@link MarkDroppedEvents}); none in batch.
   */
  public static PTransform<PCollection<Row>, PCollection<Row>> dropped(Duration allowedLateness) {
    return MarkDroppedEvents.withAllowedLateness(allowedLateness);
  }

  private static <T> PTransform<PCollection<T>, PCollection<Row>> of(
      String name, DoFn<T, Row> fn) {
    return new PTransform<>() {
      @Override
      public PCollection<Row> expand(PCollection<T> input) {
        return input.apply(name, ParDo.of(fn)).setRowSchema(HealthView.MARKS);
      }
    };
  }

  private static Long[] zeros() {
    Long[] counts = new Long[HealthView.MARKS.getFieldCount() - 1];
    Arrays.fill(counts, 0L);
    return counts;
  }

  static Row mark(int index, long count, Long newestEventTime) {
    Long[] counts = zeros();
    counts[index] = count;
    return row(counts, newestEventTime);
  }

  private static Row row(Long[] counts, Long newestEventTime) {
    Object[] values = Arrays.copyOf(counts, counts.length + 1, Object[].class);
    values[counts.length] = newestEventTime;
    return Row.withSchema(HealthView.MARKS).addValues(values).build();
  }
}
