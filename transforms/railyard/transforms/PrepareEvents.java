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
 */
@AutoValue
public abstract class PrepareEvents
    extends PTransform<PCollection<RawEvent>, WithDeadLetters<Row>> {

  /**
   * The valid rows before deduplication, copies included, beside the output: the health view
   * counts them ({@code valid}; {@code duplicates} is valid less unique).
   */
  public static final TupleTag<Row> VALID = new TupleTag<>("valid") {};

  abstract ParseJson parse();

  abstract @Nullable Duration allowedSkew();

  abstract @Nullable Duration dedupeHorizon();

  abstract boolean expiryTimers();

  abstract @Nullable List<String> keptFields();

  abstract Builder toBuilder();

  /** Prepares events parsed by {@code parse}, which names the schema and its id and time fields. */
  public static PrepareEvents of(ParseJson parse) {
    return new AutoValue_PrepareEvents.Builder().setParse(parse).setExpiryTimers(true).build();
  }

  public PrepareEvents withAllowedSkew(Duration skew) {
    return toBuilder().setAllowedSkew(skew).build();
  }

  public PrepareEvents withDedupeHorizon(Duration horizon) {
    return toBuilder().setDedupeHorizon(horizon).build();
  }

  /** See {@link DeduplicateEvents#withExpiryTimers(boolean)}. */
  public PrepareEvents withExpiryTimers(boolean expiryTimers) {
    return toBuilder().setExpiryTimers(expiryTimers).build();
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
    abstract Builder setParse(ParseJson parse);

    abstract Builder setAllowedSkew(Duration skew);

    abstract Builder setDedupeHorizon(Duration horizon);

    abstract Builder setExpiryTimers(boolean expiryTimers);

    abstract Builder setKeptFields(List<String> fields);

    abstract PrepareEvents build();
  }

  @Override
  public WithDeadLetters<Row> expand(PCollection<RawEvent> events) {
    checkArgument(allowedSkew() != null, "PrepareEvents needs withAllowedSkew()");
    checkArgument(dedupeHorizon() != null, "PrepareEvents needs withDedupeHorizon()");
    Schema rowSchema = parse().schema().rowSchema();
    RowProjection kept =
        keptFields() == null ? null : RowProjection.of(rowSchema, withDedupeFields(keptFields()));
    PCollectionTuple timed =
        events.apply(
            "ParseValidateAndTime",
            ParDo.of(
                    new PrepareFn(
                        parse().reader(),
                        new RecordRules(parse().schema()),
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
                    .withHorizon(dedupeHorizon())
                    .withExpiryTimers(expiryTimers()));
    return WithDeadLetters.of(unique, deadLetters).and(VALID, timed.get(PrepareFn.PREPARED));
  }

  private static List<String> withDedupeFields(List<String> fields) {
    Set<String> all = new LinkedHashSet<>(fields);
    all.add(DeclaredSchema.EVENT_ID);
    all.add(DeclaredSchema.RECEIVED_AT);
    return List.copyOf(all);
  }
}
