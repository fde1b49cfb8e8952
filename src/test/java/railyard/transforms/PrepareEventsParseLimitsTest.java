package railyard.transforms;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;

/**
 * Preparation's bounds on what it will parse, at their defaults: 64 KiB a record, 32 levels of
 * nesting (the record's object is the first), 1,000 characters a number, in any field.
 */
@RunWith(JUnit4.class)
public class PrepareEventsParseLimitsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private void expectOneDeadLetter(RawEvent event, String reason) {
    Prepared.expectOnlyDeadLetter(
        Events.prepare(pipeline, event), event, DeadLetter.Stage.PARSE, reason);
    pipeline.run();
  }

  @Test
  public void rejectsAnOversizedRecord() {
    String big = "{\"id\":\"e1\",\"note\":\"" + "x".repeat(70_000) + "\"}";
    expectOneDeadLetter(Events.raw(big), "oversized");
  }

  @Test
  public void rejectsADeeplyNestedDocument() {
    String deep = "{\"id\":\"e1\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
    expectOneDeadLetter(Events.raw(deep), "too_deep");
  }

  @Test
  public void acceptsNestingUpToTheLimit() {
    // The object itself is the first level: 31 arrays inside it make 32.
    String record =
        "{\"id\":\"e1\",\"user\":\"u\",\"x\":" + "[".repeat(31) + "]".repeat(31)
            + ",\"ts\":\"2026-01-01T00:00:00Z\"}";
    WithDeadLetters<Row> result = Events.prepare(pipeline, Events.raw(record));
    PAssert.that(result.deadLetters()).empty();
    PAssert.thatSingleton(Prepared.ids(result)).isEqualTo("e1");
    pipeline.run();
  }

  @Test
  public void rejectsNestingOneLevelPastTheLimit() {
    String record = "{\"id\":\"e1\",\"x\":" + "[".repeat(32) + "]".repeat(32) + "}";
    expectOneDeadLetter(Events.raw(record), "too_deep");
  }

  @Test
  public void rejectsADeeplyNestedValueOfADeclaredField() {
    String record = "{\"id\":\"e1\",\"user\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}";
    expectOneDeadLetter(Events.raw(record), "too_deep");
  }

  @Test
  public void rejectsANumberOfFiveThousandDigitsInAnUndeclaredFieldAsTooLong() {
    String record =
        "{\"id\":\"e1\",\"big\":" + "7".repeat(5_000) + ",\"ts\":\"2026-01-01T00:00:00Z\"}";
    expectOneDeadLetter(Events.raw(record), "number_too_long");
  }

  @Test
  public void saysHowLongTheNumberIsAndTheLimit() {
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline, Events.raw("{\"id\":\"e1\",\"amount\":1." + "5".repeat(1_500) + "}"));
    PAssert.thatSingleton(Prepared.messages(result))
        .isEqualTo("Number length (1501) exceeds the maximum length (1000)");
    pipeline.run();
  }
}
