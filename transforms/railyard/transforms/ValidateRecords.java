package railyard.transforms;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import railyard.model.DeadLetter;
import railyard.model.ParsedEvent;
import railyard.schema.DeclaredSchema;

/**
 * Conforms parsed rows to the declared schema (trimming, lower-casing) and checks its rules:
 * required fields, numeric ranges, allowed values and lengths. Records that break a rule are dead
 * letters with the rule's reason.
 */
@AutoValue
public abstract class ValidateRecords
    extends PTransform<PCollection<ParsedEvent>, WithDeadLetters<ParsedEvent>> {
  static final TupleTag<ParsedEvent> VALID = new TupleTag<>("valid") {};

  abstract DeclaredSchema schema();

  public static ValidateRecords of(DeclaredSchema schema) {
    return new AutoValue_ValidateRecords(schema);
  }

  @Override
  public WithDeadLetters<ParsedEvent> expand(PCollection<ParsedEvent> parsed) {
    var result =
        parsed.apply(
            "ValidateRecords",
            ParDo.of(new ValidateFn(new RecordRules(schema())))
                .withOutputTags(VALID, TupleTagList.of(WithDeadLetters.DEAD_LETTERS)));
    result.get(VALID).setCoder(parsed.getCoder());
    result.get(WithDeadLetters.DEAD_LETTERS).setCoder(DeadLetter.DeadLetterCoder.of());
    return WithDeadLetters.of(VALID, result);
  }

  private static final class ValidateFn extends DoFn<ParsedEvent, ParsedEvent> {
    private final RecordRules rules;

    ValidateFn(RecordRules rules) {
      this.rules = rules;
    }

    @ProcessElement
    public void process(@Element ParsedEvent event, MultiOutputReceiver out) {
      try {
        out.get(VALID).output(event.withRow(rules.apply(event.row())));
      } catch (Rejection rejection) {
        out.get(WithDeadLetters.DEAD_LETTERS)
            .output(rejection.reason().reject(event.raw(), rejection.getMessage()));
      }
    }
  }
}
