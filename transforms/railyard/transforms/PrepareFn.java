package railyard.transforms;

import javax.annotation.Nullable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/**
 * Parse ({@link JsonRowReader}), validate and conform ({@link RecordRules}) and time-stamp ({@link
 * SkewCheck}) in one step. Each stage rejects with its own {@link RejectReason}, and every dead
 * letter carries the original bytes. As three steps, each hand-over would be where a runner
 * serializes (the original bytes and the row, for each event); fused, only the finished row
 * leaves.
 */
final class PrepareFn extends DoFn<RawEvent, Row> {
  static final TupleTag<Row> PREPARED = new TupleTag<>("prepared") {};

  private final JsonRowReader reader;
  private final RecordRules rules;
  private final SkewCheck skew;
  private final Schema rowSchema;
  private final @Nullable RowProjection kept;
  private final Counter received = RailyardMetrics.counter(RailyardMetrics.RECEIVED);
  private final Counter valid = RailyardMetrics.counter(RailyardMetrics.VALID);
  private final Distribution recordBytes =
      RailyardMetrics.distribution(RailyardMetrics.RECORD_BYTES);
  private final Distribution eventLag = RailyardMetrics.distribution(RailyardMetrics.EVENT_LAG_MS);

  /** Rows leave with every field of {@code rowSchema}, or only those {@code kept}, if given. */
  PrepareFn(
      JsonRowReader reader,
      RecordRules rules,
      SkewCheck skew,
      Schema rowSchema,
      @Nullable RowProjection kept) {
    this.reader = reader;
    this.rules = rules;
    this.skew = skew;
    this.rowSchema = rowSchema;
    this.kept = kept;
  }

  @ProcessElement
  public void process(@Element RawEvent event, MultiOutputReceiver out) {
    received.inc();
    recordBytes.update(event.payload().length);
    try {
      Row row = rules.apply(reader.read(event));
      Instant eventTime = skew.eventTime(row, event);
      valid.inc();
      eventLag.update(event.receivedAt() - eventTime.getMillis());
      out.get(PREPARED)
          .outputWithTimestamp(kept == null ? warehouseRow(rowSchema, row) : kept.apply(row), eventTime);
    } catch (Rejection rejection) {
      out.get(WithDeadLetters.DEAD_LETTERS)
          .output(rejection.reason().reject(event, rejection.getMessage()));
    }
  }

  /** Validation has set every required value, so the values fit the stricter warehouse schema. */
  static Row warehouseRow(Schema rowSchema, Row validated) {
    return Row.withSchema(rowSchema).attachValues(validated.getValues());
  }

  // Events arrive stamped with their receipt time; their own time may be earlier by the skew.
  @SuppressWarnings("deprecation")
  @Override
  public Duration getAllowedTimestampSkew() {
    return skew.allowedSkew();
  }
}
