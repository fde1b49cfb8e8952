package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import railyard.model.DeadLetter;
import railyard.model.ParsedEvent;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;

/**
 * Parses each event's JSON payload into a row of the declared schema. Oversized records, invalid
 * UTF-8, empty payloads, malformed JSON, JSON that is not one object, too deep nesting, too long
 * numbers, strings that are not Unicode (escaped lone surrogates) and values of the wrong type are
 * dead letters, each with its own {@link RejectReason}.
 *
 * <pre>{@code
 * WithDeadLetters<ParsedEvent> parsed = raw.apply(ParseJson.of(schema)
 *     .withEventIdField("event_id").withEventTimeField("ts"));
 * }</pre>
 */
@AutoValue
public abstract class ParseJson
    extends PTransform<PCollection<RawEvent>, WithDeadLetters<ParsedEvent>> {
  static final TupleTag<ParsedEvent> PARSED = new TupleTag<>("parsed") {};

  abstract DeclaredSchema schema();

  abstract @Nullable String eventIdField();

  abstract @Nullable String eventTimeField();

  abstract int maxRecordBytes();

  abstract int maxDepth();

  abstract Builder toBuilder();

  public static ParseJson of(DeclaredSchema schema) {
    return new AutoValue_ParseJson.Builder()
        .setSchema(schema)
        .setMaxRecordBytes(64 * 1024)
        .setMaxDepth(32)
        .build();
  }

  /** The declared field whose value identifies an event, for deduplication. */
  public ParseJson withEventIdField(String field) {
    return toBuilder().setEventIdField(field).build();
  }

  /** The declared timestamp field that carries an event's time. */
  public ParseJson withEventTimeField(String field) {
    return toBuilder().setEventTimeField(field).build();
  }

  /** Records larger than this many bytes are dead letters ({@code oversized}). */
  public ParseJson withMaxRecordBytes(int bytes) {
    return toBuilder().setMaxRecordBytes(bytes).build();
  }

  /** Documents nested deeper than this are dead letters ({@code too_deep}). */
  public ParseJson withMaxDepth(int depth) {
    return toBuilder().setMaxDepth(depth).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSchema(DeclaredSchema schema);

    abstract Builder setEventIdField(String field);

    abstract Builder setEventTimeField(String field);

    abstract Builder setMaxRecordBytes(int bytes);

    abstract Builder setMaxDepth(int depth);

    abstract ParseJson build();
  }

  @Override
  public WithDeadLetters<ParsedEvent> expand(PCollection<RawEvent> events) {
    JsonRowReader reader = reader();
    var result =
        events.apply(
            "ParseJson",
            ParDo.of(new ParseFn(reader))
                .withOutputTags(PARSED, TupleTagList.of(WithDeadLetters.DEAD_LETTERS)));
    result.get(PARSED).setCoder(ParsedEvent.ParsedEventCoder.of(reader.rowSchema()));
    result.get(WithDeadLetters.DEAD_LETTERS).setCoder(DeadLetter.DeadLetterCoder.of());
    return WithDeadLetters.of(PARSED, result);
  }

  /** The configured reader, once the configuration is checked. */
  JsonRowReader reader() {
    checkArgument(eventIdField() != null, "ParseJson needs the event-id field: call withEventIdField()");
    checkArgument(
        eventTimeField() != null, "ParseJson needs the event-time field: call withEventTimeField()");
    checkArgument(maxRecordBytes() > 0, "withMaxRecordBytes() must be positive");
    checkArgument(maxDepth() > 0, "withMaxDepth() must be positive");
    return new JsonRowReader(schema(), eventIdField(), eventTimeField(), maxRecordBytes(), maxDepth());
  }

  private static final class ParseFn extends DoFn<RawEvent, ParsedEvent> {
    private final JsonRowReader reader;

    ParseFn(JsonRowReader reader) {
      this.reader = reader;
    }

    @ProcessElement
    public void process(@Element RawEvent event, MultiOutputReceiver out) {
      RailyardMetrics.counter(RailyardMetrics.RECEIVED).inc();
      try {
        out.get(PARSED).output(new ParsedEvent(event, reader.read(event)));
      } catch (Rejection rejection) {
        out.get(WithDeadLetters.DEAD_LETTERS)
            .output(rejection.reason().reject(event, rejection.getMessage()));
      }
    }
  }
}
