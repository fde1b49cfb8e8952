package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.model.DeadLetter;
import railyard.model.ParsedEvent;
import railyard.schema.DeclaredSchema;

/**
 * Moves each event from its receipt time to its own event time, taken from the row's {@code
 * _event_time}. An event time further than the allowed skew from the receipt time (a broken clock,
 * a replay from long ago) is a dead letter ({@code event_time_skew}): accepting it would hold back
 * or run ahead of the watermark for everyone.
 */
@AutoValue
public abstract class AssignEventTime
    extends PTransform<PCollection<ParsedEvent>, WithDeadLetters<Row>> {
  static final TupleTag<Row> TIMED = new TupleTag<>("timed") {};

  abstract @Nullable Duration allowedSkew();

  abstract @Nullable Schema rowSchema();

  abstract Builder toBuilder();

  public static AssignEventTime create() {
    return new AutoValue_AssignEventTime.Builder().build();
  }

  /** How far an event's time may lie before or after its receipt time. */
  public AssignEventTime withAllowedSkew(Duration skew) {
    return toBuilder().setAllowedSkew(skew).build();
  }

  /** The schema of the warehouse rows, from {@link DeclaredSchema#rowSchema()}. */
  public AssignEventTime withRowSchema(Schema schema) {
    return toBuilder().setRowSchema(schema).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAllowedSkew(Duration skew);

    abstract Builder setRowSchema(Schema schema);

    abstract AssignEventTime build();
  }

  @Override
  public WithDeadLetters<Row> expand(PCollection<ParsedEvent> events) {
    checkArgument(allowedSkew() != null, "AssignEventTime needs a bound: call withAllowedSkew()");
    checkArgument(rowSchema() != null, "AssignEventTime needs the row schema: call withRowSchema()");
    var result =
        events.apply(
            "AssignEventTime",
            ParDo.of(new AssignFn(allowedSkew(), rowSchema()))
                .withOutputTags(TIMED, TupleTagList.of(WithDeadLetters.DEAD_LETTERS)));
    result.get(TIMED).setCoder(RowCoder.of(rowSchema()));
    result.get(WithDeadLetters.DEAD_LETTERS).setCoder(DeadLetter.DeadLetterCoder.of());
    return WithDeadLetters.of(TIMED, result);
  }

  private static final class AssignFn extends DoFn<ParsedEvent, Row> {
    private final SkewCheck skew;
    private final Schema rowSchema;

    AssignFn(Duration allowedSkew, Schema rowSchema) {
      this.skew = new SkewCheck(allowedSkew);
      this.rowSchema = rowSchema;
    }

    @ProcessElement
    public void process(@Element ParsedEvent event, MultiOutputReceiver out) {
      try {
        Instant eventTime = skew.eventTime(event.row(), event.raw());
        RailyardMetrics.counter(RailyardMetrics.VALID).inc();
        out.get(TIMED).outputWithTimestamp(PrepareFn.warehouseRow(rowSchema, event.row()), eventTime);
      } catch (Rejection rejection) {
        out.get(WithDeadLetters.DEAD_LETTERS)
            .output(rejection.reason().reject(event.raw(), rejection.getMessage()));
      }
    }

    // Events arrive stamped with their receipt time; their own time may be earlier by the skew.
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return skew.allowedSkew();
    }
  }
}
