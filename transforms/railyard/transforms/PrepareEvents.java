package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;

/**
 * Raw events in, clean warehouse rows out: parse, validate and conform, assign event time, then
 * deduplicate. Every rejected record comes out as a dead letter.
 *
 * <p>Event time is assigned before deduplication because its dead letters need the original bytes;
 * after it, records are compact rows, so the deduplication shuffle carries less.
 */
@AutoValue
public abstract class PrepareEvents
    extends PTransform<PCollection<RawEvent>, WithDeadLetters<Row>> {

  abstract DeclaredSchema schema();

  abstract @Nullable String eventIdField();

  abstract @Nullable String eventTimeField();

  abstract @Nullable Duration allowedSkew();

  abstract @Nullable Duration dedupeHorizon();

  abstract int maxRecordBytes();

  abstract int maxDepth();

  abstract Builder toBuilder();

  public static PrepareEvents of(DeclaredSchema schema) {
    return new AutoValue_PrepareEvents.Builder()
        .setSchema(schema)
        .setMaxRecordBytes(64 * 1024)
        .setMaxDepth(32)
        .build();
  }

  public PrepareEvents withEventIdField(String field) {
    return toBuilder().setEventIdField(field).build();
  }

  public PrepareEvents withEventTimeField(String field) {
    return toBuilder().setEventTimeField(field).build();
  }

  public PrepareEvents withAllowedSkew(Duration skew) {
    return toBuilder().setAllowedSkew(skew).build();
  }

  public PrepareEvents withDedupeHorizon(Duration horizon) {
    return toBuilder().setDedupeHorizon(horizon).build();
  }

  public PrepareEvents withMaxRecordBytes(int bytes) {
    return toBuilder().setMaxRecordBytes(bytes).build();
  }

  public PrepareEvents withMaxDepth(int depth) {
    return toBuilder().setMaxDepth(depth).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSchema(DeclaredSchema schema);

    abstract Builder setEventIdField(String field);

    abstract Builder setEventTimeField(String field);

    abstract Builder setAllowedSkew(Duration skew);

    abstract Builder setDedupeHorizon(Duration horizon);

    abstract Builder setMaxRecordBytes(int bytes);

    abstract Builder setMaxDepth(int depth);

    abstract PrepareEvents build();
  }

  @Override
  public WithDeadLetters<Row> expand(PCollection<RawEvent> events) {
    checkArgument(allowedSkew() != null, "PrepareEvents needs withAllowedSkew()");
    checkArgument(dedupeHorizon() != null, "PrepareEvents needs withDedupeHorizon()");
    WithDeadLetters<Row> timed =
        events
            .apply(
                "Parse",
                ParseJson.of(schema())
                    .withEventIdField(eventIdField())
                    .withEventTimeField(eventTimeField())
                    .withMaxRecordBytes(maxRecordBytes())
                    .withMaxDepth(maxDepth()))
            .then("Validate", ValidateRecords.of(schema()))
            .then(
                "EventTime",
                AssignEventTime.create()
                    .withAllowedSkew(allowedSkew())
                    .withRowSchema(schema().rowSchema()));
    PCollection<Row> unique =
        timed.output().apply("Deduplicate", DeduplicateEvents.create().withHorizon(dedupeHorizon()));
    return WithDeadLetters.of(unique, timed.deadLetters());
  }
}
