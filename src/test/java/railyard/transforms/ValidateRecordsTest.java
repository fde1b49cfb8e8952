package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.model.ParsedEvent;
import railyard.model.RawEvent;

@RunWith(JUnit4.class)
public class ValidateRecordsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private WithDeadLetters<ParsedEvent> validate(String... json) {
    List<RawEvent> events = java.util.Arrays.stream(json).map(Events::raw).toList();
    return pipeline
        .apply(Create.of(events))
        .apply(Events.parse())
        .then("Validate", ValidateRecords.of(Events.SCHEMA));
  }

  private void expectOneDeadLetter(String json, String reason, String messagePart) {
    WithDeadLetters<ParsedEvent> result = validate(json);
    PAssert.that(result.output()).empty();
    PAssert.thatSingleton(result.deadLetters())
        .satisfies(
            dead -> {
              assertThat(dead.reason(), equalTo(reason));
              assertThat(dead.stage(), is(DeadLetter.Stage.VALIDATE));
              assertThat(dead.message(), containsString(messagePart));
              assertThat(dead.payloadText(), equalTo(json));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void rejectsAMissingRequiredField() {
    expectOneDeadLetter(
        "{\"id\":\"e1\",\"ts\":\"2026-01-01T00:00:00Z\"}", "missing_required", "'user'");
  }

  @Test
  public void rejectsANullRequiredField() {
    expectOneDeadLetter(
        "{\"id\":\"e1\",\"user\":null,\"ts\":\"2026-01-01T00:00:00Z\"}", "missing_required", "'user'");
  }

  @Test
  public void rejectsANumberOutsideItsRange() {
    expectOneDeadLetter(
        "{\"id\":\"e1\",\"user\":\"u\",\"amount\":-3,\"ts\":\"2026-01-01T00:00:00Z\"}",
        "out_of_range",
        "'amount'");
  }

  @Test
  public void rejectsAValueThatIsNotAllowed() {
    expectOneDeadLetter(
        "{\"id\":\"e1\",\"user\":\"u\",\"country\":\"xx\",\"ts\":\"2026-01-01T00:00:00Z\"}",
        "not_allowed",
        "'country'");
  }

  @Test
  public void rejectsAStringLongerThanItsLimit() {
    expectOneDeadLetter(
        "{\"id\":\"e1\",\"user\":\"u\",\"note\":\"far too long a note\",\"ts\":\"2026-01-01T00:00:00Z\"}",
        "too_long",
        "'note'");
  }

  @Test
  public void trimsAndLowerCasesBeforeChecking() {
    WithDeadLetters<ParsedEvent> result =
        validate("{\"id\":\"e1\",\"user\":\"u\",\"country\":\"  FR \",\"ts\":\"2026-01-01T00:00:00Z\"}");
    PAssert.thatSingleton(
            result.output().apply(MapElements.into(TypeDescriptors.strings())
                .via(e -> e.row().getString("country"))))
        .isEqualTo("fr");
    PAssert.that(result.deadLetters()).empty();
    pipeline.run();
  }

  @Test
  public void keepsParseDeadLettersBesideItsOwn() {
    WithDeadLetters<ParsedEvent> result =
        validate("{broken", "{\"id\":\"e1\",\"ts\":\"2026-01-01T00:00:00Z\"}");
    PAssert.that(result.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
            .via(DeadLetter::reason)))
        .containsInAnyOrder("malformed_json", "missing_required");
    pipeline.run();
  }
}
