package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;

/**
 * Raw events in, clean warehouse rows out: parse, validate and conform, assign event time, then
 * deduplicate. Every rejected record comes out as a dead letter.
 *
 * <p>Parsing, validation and event time run as one step ({@link PrepareFn}), so only finished rows
 * leave it. Event time is assigned before deduplication because its dead letters need the original
 * bytes; after it, records are compact rows, so the deduplication shuffle carries less.
 *
 * <pre>{@code
 * WithDeadLetters<Row> rows = raw.apply(PrepareEvents.of(schema)
 *     .withEventIdField("event_id").withEventTimeField("ts")
 *     .withAllowedSkew(Duration.standardHours(1)).withDedupeHorizon(Duration.standardMinutes(10)));
 * }</pre>
 */
@AutoValue
public abstract class PrepareEvents
    extends PTransform<PCollection<RawEvent>, WithDeadLetters<Row>> {

  /**
   * The valid rows before deduplication, copies included, beside the output: the health view
   * counts them ({@code valid}; {@code duplicates} is valid less unique).
   */
  public static final TupleTag<Row> VALID = new TupleTag<>("valid") {};

  abstract DeclaredSchema schema();

  abstract @Nullable String eventIdField();

  abstract @Nullable String eventTimeField();

  abstract int maxRecordBytes();

  abstract int maxDepth();

  abstract @Nullable Duration allowedSkew();

  abstract @Nullable Duration dedupeHorizon();

  abstract @Nullable List<String> keptFields();

  abstract Builder toBuilder();

  /** Prepares events whose JSON payloads are records of {@code schema}. */
  public static PrepareEvents of(DeclaredSchema schema) {
    return new AutoValue_PrepareEvents.Builder()
        .setSchema(schema)
        .setMaxRecordBytes(64 * 1024)
        .setMaxDepth(32)
        .build();
  }

  /** The declared field whose value identifies an event, for deduplication. */
  public PrepareEvents withEventIdField(String field) {
    return toBuilder().setEventIdField(field).build();
  }

  /** The declared timestamp field that carries an event's time. */
  public PrepareEvents withEventTimeField(String field) {
    return toBuilder().setEventTimeField(field).build();
  }

  /** Records larger than this many bytes are dead letters ({@code oversized}). */
  public PrepareEvents withMaxRecordBytes(int bytes) {
    return toBuilder().setMaxRecordBytes(bytes).build();
  }

  /** Documents nested deeper than this are dead letters ({@code too_deep}). */
  public PrepareEvents withMaxDepth(int depth) {
    return toBuilder().setMaxDepth(depth).build();
  }

  /** How far an event's time may lie before or after its receipt ({@code event_time_skew}). */
  public PrepareEvents withAllowedSkew(Duration skew) {
    return toBuilder().setAllowedSkew(skew).build();
  }

  /** How long after an event's receipt a copy of it is still dropped as a duplicate. */
  public PrepareEvents withDedupeHorizon(Duration horizon) {
    return toBuilder().setDedupeHorizon(horizon).build();
  }

  /**
   * Rows leave with only these fields, beside the event id and receipt time that deduplication
   * reads, instead of the whole record. For a pipeline whose consumers read only some fields (views
   * without a warehouse, say): the deduplication shuffle, a batch run's costliest step, then
   * carries tens of bytes an event. Every field is still parsed and validated.
   */
  public PrepareEvents withKeptFields(List<String> fields) {
    return toBuilder().setKeptFields(List.copyOf(fields)).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSchema(DeclaredSchema schema);

    abstract Builder setEventIdField(String field);

    abstract Builder setEventTimeField(String field);

    abstract Builder setMaxRecordBytes(int bytes);

    abstract Builder setMaxDepth(int depth);

    abstract Builder setAllowedSkew(Duration skew);

    abstract Builder setDedupeHorizon(Duration horizon);


    abstract Builder setKeptFields(List<String> fields);

    abstract PrepareEvents build();
  }

  @Override
  public WithDeadLetters<Row> expand(PCollection<RawEvent> events) {
    checkArgument(
        eventIdField() != null, "PrepareEvents needs the event-id field: call withEventIdField()");
    checkArgument(
        eventTimeField() != null,
        "PrepareEvents needs the event-time field: call withEventTimeField()");
    checkArgument(maxRecordBytes() > 0, "withMaxRecordBytes() must be positive");
    checkArgument(maxDepth() > 0, "withMaxDepth() must be positive");
    checkArgument(allowedSkew() != null, "PrepareEvents needs withAllowedSkew()");
    checkArgument(dedupeHorizon() != null, "PrepareEvents needs withDedupeHorizon()");
    Schema rowSchema = schema().rowSchema();
    RowProjection kept =
        keptFields() == null ? null : RowProjection.of(rowSchema, withDedupeFields(keptFields()));
    PCollectionTuple timed =
        events.apply(
            "ParseValidateAndTime",
            ParDo.of(
                    new PrepareFn(
                        new JsonRowReader(
                            schema(), eventIdField(), eventTimeField(), maxRecordBytes(), maxDepth()),
                        new RecordRules(schema()),
                        new SkewCheck(allowedSkew()),
                        rowSchema,
                        kept))
                .withOutputTags(PrepareFn.PREPARED, TupleTagList.of(WithDeadLetters.DEAD_LETTERS)));
    timed.get(PrepareFn.PREPARED).setCoder(RowCoder.of(kept == null ? rowSchema : kept.schema()));
    PCollection<DeadLetter> deadLetters =
        timed.get(WithDeadLetters.DEAD_LETTERS).setCoder(DeadLetter.DeadLetterCoder.of());
    PCollection<Row> unique =
        timed
            .get(PrepareFn.PREPARED)
            .apply(
                "Deduplicate",
                DeduplicateEvents.create()
                    .withHorizon(dedupeHorizon()));
    return WithDeadLetters.of(unique, deadLetters).and(VALID, timed.get(PrepareFn.PREPARED));
  }

  private static List<String> withDedupeFields(List<String> fields) {
    Set<String> all = new LinkedHashSet<>(fields);
    all.add(DeclaredSchema.EVENT_ID);
    all.add(DeclaredSchema.RECEIVED_AT);
    return List.copyOf(all);
  }
}
