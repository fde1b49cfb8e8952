package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;

/**
 * Preparation conforms each parsed row (trimming, lower-casing) and checks the declared rules:
 * required fields, numeric ranges, allowed values and lengths. A record that breaks one is a dead
 * letter at the validate stage with the rule's reason, the field's name and the original bytes.
 */
@RunWith(JUnit4.class)
public class PrepareEventsValidateTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private void expectOneDeadLetter(String json, String reason, String messagePart) {
    WithDeadLetters<Row> result = Events.prepare(pipeline, Events.raw(json));
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
        "{\"id\":\"e1\",\"user\":null,\"ts\":\"2026-01-01T00:00:00Z\"}",
        "missing_required",
        "'user'");
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
        "{\"id\":\"e1\",\"user\":\"u\",\"note\":\"far too long a note\","
            + "\"ts\":\"2026-01-01T00:00:00Z\"}",
        "too_long",
        "'note'");
  }

  @Test
  public void trimsAndLowerCasesBeforeChecking() {
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline,
            Events.raw(
                "{\"id\":\"e1\",\"user\":\"u\",\"country\":\"  FR \",\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.thatSingleton(
            result.output()
                .apply(MapElements.into(TypeDescriptors.strings()).via(r -> r.getString("country"))))
        .isEqualTo("fr");
    PAssert.that(result.deadLetters()).empty();
    pipeline.run();
  }

  @Test
  public void rejectsParseAndValidationFailuresIntoTheSameDeadLetters() {
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline,
            Events.raw("{broken"),
            Events.raw("{\"id\":\"e1\",\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.that(Prepared.reasons(result)).containsInAnyOrder("malformed_json", "missing_required");
    pipeline.run();
  }
}
