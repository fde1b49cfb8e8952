package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.model.ParsedEvent;
import railyard.model.RawEvent;

@RunWith(JUnit4.class)
public class ParseJsonTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private WithDeadLetters<ParsedEvent> parse(RawEvent... events) {
    return pipeline.apply(Create.of(List.of(events))).apply(Events.parse());
  }

  /** Asserts that exactly one dead letter comes out, with this reason and the original bytes. */
  private void expectOneDeadLetter(RawEvent event, String reason) {
    WithDeadLetters<ParsedEvent> result = parse(event);
    PAssert.that(result.output()).empty();
    PAssert.thatSingleton(result.deadLetters())
        .satisfies(
            dead -> {
              assertThat(dead.reason(), equalTo(reason));
              assertThat(dead.stage(), is(DeadLetter.Stage.PARSE));
              assertThat(dead.payload(), equalTo(event.payload()));
              assertThat(dead.source(), equalTo(event.source()));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void parsesAnObjectIntoATypedRow() {
    Instant ts = Instant.parse("2026-01-01T00:00:05.250Z");
    WithDeadLetters<ParsedEvent> result =
        parse(Events.raw("{\"id\":\"e1\",\"user\":\"u1\",\"amount\":12.5,\"ts\":\"" + ts + "\"}"));
    PCollection<Row> rows =
        result.output().apply(MapElements.into(TypeDescriptors.rows()).via(ParsedEvent::row))
            .setRowSchema(Events.SCHEMA.parsedSchema());
    PAssert.thatSingleton(rows)
        .satisfies(
            row -> {
              assertThat(row.getString("id"), equalTo("e1"));
              assertThat(row.getDouble("amount"), equalTo(12.5));
              assertThat(row.getString("_event_id"), equalTo("e1"));
              assertThat(row.getDateTime("_event_time").getMillis(), equalTo(ts.getMillis()));
              assertThat(row.getDateTime("_received_at").getMillis(), equalTo(Events.T0.getMillis()));
              assertThat(row.getString("_source"), equalTo("test"));
              return null;
            });
    PAssert.that(result.deadLetters()).empty();
    pipeline.run();
  }

  @Test
  public void ignoresFieldsTheSchemaDoesNotDeclare() {
    WithDeadLetters<ParsedEvent> result =
        parse(Events.raw("{\"id\":\"e1\",\"extra\":{\"deep\":[1,2,{}]},\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.that(result.deadLetters()).empty();
    PAssert.thatSingleton(result.output().apply(MapElements.into(TypeDescriptors.strings())
        .via(e -> e.row().getString("id")))).isEqualTo("e1");
    pipeline.run();
  }

  @Test
  public void coercesAStringToALongWhereTheFieldAllowsIt() {
    WithDeadLetters<ParsedEvent> result =
        parse(Events.raw("{\"id\":\"e1\",\"quantity\":\" 12 \",\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.thatSingleton(result.output().apply(MapElements.into(TypeDescriptors.longs())
        .via(e -> e.row().getInt64("quantity")))).isEqualTo(12L);
    pipeline.run();
  }

  @Test
  public void rejectsMalformedJson() {
    expectOneDeadLetter(Events.raw("{\"id\":\"e1\",\"user\":"), "malformed_json");
  }

  @Test
  public void rejectsAValueOfTheWrongType() {
    expectOneDeadLetter(Events.raw("{\"id\":\"e1\",\"amount\":\"lots\"}"), "wrong_type");
  }

  @Test
  public void rejectsAStringWhereAStringFieldHoldsAnObject() {
    expectOneDeadLetter(Events.raw("{\"id\":{\"nested\":true}}"), "wrong_type");
  }

  @Test
  public void rejectsABadTimestamp() {
    expectOneDeadLetter(Events.raw("{\"id\":\"e1\",\"ts\":\"yesterday\"}"), "wrong_type");
  }

  @Test
  public void rejectsAnOversizedRecord() {
    String big = "{\"id\":\"e1\",\"note\":\"" + "x".repeat(70_000) + "\"}";
    expectOneDeadLetter(Events.raw(big), "oversized");
  }

  @Test
  public void rejectsInvalidUtf8() {
    byte[] bytes = "{\"id\":\"e\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    bytes[8] = (byte) 0xC3;
    bytes[9] = (byte) 0x28;
    expectOneDeadLetter(new RawEvent("test", 0L, bytes, Map.of()), "invalid_utf8");
  }

  @Test
  public void rejectsADeeplyNestedDocument() {
    String deep = "{\"id\":\"e1\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
    expectOneDeadLetter(Events.raw(deep), "too_deep");
  }

  @Test
  public void rejectsAnArrayAtTheTop() {
    expectOneDeadLetter(Events.raw("[1,2,3]"), "not_an_object");
  }

  @Test
  public void rejectsAnEmptyPayloadAsEmpty() {
    expectOneDeadLetter(new RawEvent("test", 0L, new byte[0], Map.of()), "empty");
  }

  @Test
  public void rejectsAPayloadOfOnlyWhitespaceAsEmpty() {
    expectOneDeadLetter(Events.raw(" \n\t "), "empty");
  }

  @Test
  public void rejectsAScalarAtTheTopAsNotAnObject() {
    expectOneDeadLetter(Events.raw("\"text\""), "not_an_object");
  }

  @Test
  public void rejectsAnArrayWithATrailingCommaAsMalformed() {
    expectOneDeadLetter(Events.raw("[1,]"), "malformed_json");
  }

  @Test
  public void rejectsANumberWithALeadingZeroAsMalformed() {
    expectOneDeadLetter(Events.raw("-01"), "malformed_json");
  }

  @Test
  public void rejectsACutOffLiteralAsMalformed() {
    expectOneDeadLetter(Events.raw("[nul"), "malformed_json");
  }

  @Test
  public void rejectsTwoValuesAtTheTopAsMalformed() {
    expectOneDeadLetter(Events.raw("[1] [2]"), "malformed_json");
  }

  @Test
  public void rejectsANumberOfFiveThousandDigitsInAnUndeclaredFieldAsTooLong() {
    String record =
        "{\"id\":\"e1\",\"big\":" + "7".repeat(5_000) + ",\"ts\":\"2026-01-01T00:00:00Z\"}";
    expectOneDeadLetter(Events.raw(record), "number_too_long");
  }

  @Test
  public void saysHowLongTheNumberIsAndTheLimit() {
    WithDeadLetters<ParsedEvent> result =
        parse(Events.raw("{\"id\":\"e1\",\"amount\":1." + "5".repeat(1_500) + "}"));
    PAssert.thatSingleton(result.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
        .via(DeadLetter::message))).isEqualTo("Number length (1501) exceeds the maximum length (1000)");
    pipeline.run();
  }

  @Test
  public void acceptsNestingUpToTheLimit() {
    // The object itself is the first level: 31 arrays inside it make 32.
    String record = "{\"id\":\"e1\",\"x\":" + "[".repeat(31) + "]".repeat(31) + "}";
    PAssert.that(parse(Events.raw(record)).deadLetters()).empty();
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
  public void rejectsALoneHighSurrogateInTheEventId() {
    expectOneDeadLetter(Events.raw("{\"id\":\"x\\ud800\",\"ts\":\"2026-01-01T00:00:00Z\"}"), "lone_surrogate");
  }

  @Test
  public void rejectsALoneLowSurrogateInADeclaredField() {
    expectOneDeadLetter(Events.raw("{\"id\":\"e1\",\"user\":\"\\udc00u\"}"), "lone_surrogate");
  }

  @Test
  public void rejectsSurrogatesInTheWrongOrder() {
    expectOneDeadLetter(Events.raw("{\"id\":\"e1\",\"user\":\"\\ude00\\ud83d\"}"), "lone_surrogate");
  }

  @Test
  public void rejectsALoneSurrogateInAnUndeclaredField() {
    expectOneDeadLetter(Events.raw("{\"id\":\"e1\",\"extra\":\"\\ud800\"}"), "lone_surrogate");
  }

  @Test
  public void rejectsALoneSurrogateDeepInAnUndeclaredValue() {
    expectOneDeadLetter(
        Events.raw("{\"id\":\"e1\",\"extra\":{\"a\":[1,{\"b\":\"\\udbff\"}]}}"), "lone_surrogate");
  }

  @Test
  public void rejectsALoneSurrogateInAFieldName() {
    expectOneDeadLetter(Events.raw("{\"id\":\"e1\",\"ex\\ud800\":1}"), "lone_surrogate");
  }

  @Test
  public void namesTheFieldThatHoldsALoneSurrogate() {
    WithDeadLetters<ParsedEvent> result = parse(Events.raw("{\"id\":\"x\\ud800\"}"));
    PAssert.thatSingleton(result.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
        .via(DeadLetter::message)))
        .isEqualTo("field 'id': \\ud800 is a lone surrogate, which is not Unicode text");
    pipeline.run();
  }

  @Test
  public void readsAnEscapedSurrogatePairAsItsCharacter() {
    WithDeadLetters<ParsedEvent> result =
        parse(Events.raw("{\"id\":\"e\\ud83d\\ude00\",\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.that(result.deadLetters()).empty();
    PAssert.thatSingleton(result.output().apply(MapElements.into(TypeDescriptors.strings())
        .via(e -> e.row().getString("id")))).isEqualTo("e\uD83D\uDE00");
    pipeline.run();
  }

  @Test
  public void readsAnEscapedBackslashBeforeUAsText() {
    WithDeadLetters<ParsedEvent> result =
        parse(Events.raw("{\"id\":\"a\\\\ud800\",\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.that(result.deadLetters()).empty();
    PAssert.thatSingleton(result.output().apply(MapElements.into(TypeDescriptors.strings())
        .via(e -> e.row().getString("id")))).isEqualTo("a\\ud800");
    pipeline.run();
  }

  @Test
  public void rejectsDuplicateKeys() {
    expectOneDeadLetter(Events.raw("{\"id\":\"a\",\"id\":\"b\"}"), "malformed_json");
  }

  @Test
  public void rejectsADuplicateOfAFieldTheSchemaDoesNotDeclare() {
    expectOneDeadLetter(Events.raw("{\"id\":\"a\",\"extra\":1,\"extra\":2}"), "malformed_json");
  }

  @Test
  public void rejectsDuplicateKeysInsideANestedUndeclaredValue() {
    expectOneDeadLetter(
        Events.raw("{\"id\":\"a\",\"extra\":{\"k\":1,\"k\":2},\"ts\":\"2026-01-01T00:00:00Z\"}"),
        "malformed_json");
  }

  @Test
  public void namesTheDuplicateKeyInTheMessage() {
    WithDeadLetters<ParsedEvent> result =
        parse(Events.raw("{\"id\":\"a\",\"ts\":\"2026-01-01T00:00:00Z\",\"id\":\"b\"}"));
    PAssert.thatSingleton(result.deadLetters().apply(MapElements.into(TypeDescriptors.strings())
        .via(DeadLetter::message))).isEqualTo("Duplicate field 'id'");
    pipeline.run();
  }

  @Test
  public void passesGoodRecordsBesideBadOnes() {
    WithDeadLetters<ParsedEvent> result =
        parse(
            Events.raw(Events.purchase("e1", "u1", "us", 1.0, Events.T0)),
            Events.raw("not json"),
            Events.raw(Events.purchase("e2", "u2", "fr", 2.0, Events.T0)));
    PAssert.that(result.output().apply("Ids", MapElements.into(TypeDescriptors.strings())
        .via(e -> e.row().getString("id")))).containsInAnyOrder("e1", "e2");
    PAssert.that(result.deadLetters().apply("Reasons", MapElements.into(TypeDescriptors.strings())
        .via(DeadLetter::reason))).containsInAnyOrder("malformed_json");
    pipeline.run();
  }

  @Test
  public void explainsTheWrongTypeInTheMessage() {
    WithDeadLetters<ParsedEvent> result = parse(Events.raw("{\"id\":\"e1\",\"amount\":true}"));
    PAssert.thatSingleton(result.deadLetters())
        .satisfies(
            dead -> {
              assertThat(dead.message(), containsString("'amount': expected double, found a boolean"));
              return null;
            });
    pipeline.run();
  }
}
