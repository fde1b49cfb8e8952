package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;

/**
 * Preparation reads each JSON object into a typed row of the declared schema, and rejects at the
 * parse stage, with the original bytes, what is not one well-formed object of the right types.
 */
@RunWith(JUnit4.class)
public class PrepareEventsParseTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private void expectOneDeadLetter(RawEvent event, String reason) {
    Prepared.expectOnlyDeadLetter(
        Events.prepare(pipeline, event), event, DeadLetter.Stage.PARSE, reason);
    pipeline.run();
  }

  @Test
  public void parsesAnObjectIntoATypedRow() {
    Instant ts = Instant.parse("2026-01-01T00:00:05.250Z");
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline,
            Events.raw("{\"id\":\"e1\",\"user\":\"u1\",\"amount\":12.5,\"ts\":\"" + ts + "\"}"));
    PAssert.thatSingleton(result.output())
        .satisfies(
            row -> {
              assertThat(row.getString("id"), equalTo("e1"));
              assertThat(row.getDouble("amount"), equalTo(12.5));
              assertThat(row.getString("_event_id"), equalTo("e1"));
              assertThat(row.getDateTime("_event_time").getMillis(), equalTo(ts.getMillis()));
              assertThat(
                  row.getDateTime("_received_at").getMillis(), equalTo(Events.T0.getMillis()));
              assertThat(row.getString("_source"), equalTo("test"));
              return null;
            });
    PAssert.that(result.deadLetters()).empty();
    pipeline.run();
  }

  @Test
  public void ignoresFieldsTheSchemaDoesNotDeclare() {
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline,
            Events.raw(
                "{\"id\":\"e1\",\"user\":\"u\",\"extra\":{\"deep\":[1,2,{}]},"
                    + "\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.that(result.deadLetters()).empty();
    PAssert.thatSingleton(Prepared.ids(result)).isEqualTo("e1");
    pipeline.run();
  }

  @Test
  public void coercesAStringToALongWhereTheFieldAllowsIt() {
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline,
            Events.raw(
                "{\"id\":\"e1\",\"user\":\"u\",\"quantity\":\" 12 \",\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.thatSingleton(
            result.output()
                .apply(MapElements.into(TypeDescriptors.longs()).via(r -> r.getInt64("quantity"))))
        .isEqualTo(12L);
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
  public void rejectsInvalidUtf8() {
    byte[] bytes = "{\"id\":\"e\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    bytes[8] = (byte) 0xC3;
    bytes[9] = (byte) 0x28;
    expectOneDeadLetter(new RawEvent("test", 0L, bytes, Map.of()), "invalid_utf8");
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
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline, Events.raw("{\"id\":\"a\",\"ts\":\"2026-01-01T00:00:00Z\",\"id\":\"b\"}"));
    PAssert.thatSingleton(Prepared.messages(result)).isEqualTo("Duplicate field 'id'");
    pipeline.run();
  }

  @Test
  public void passesGoodRecordsBesideBadOnes() {
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline,
            Events.raw(Events.purchase("e1", "u1", "us", 1.0, Events.T0)),
            Events.raw("not json"),
            Events.raw(Events.purchase("e2", "u2", "fr", 2.0, Events.T0)));
    PAssert.that(Prepared.ids(result)).containsInAnyOrder("e1", "e2");
    PAssert.that(Prepared.reasons(result)).containsInAnyOrder("malformed_json");
    pipeline.run();
  }

  @Test
  public void explainsTheWrongTypeInTheMessage() {
    WithDeadLetters<Row> result =
        Events.prepare(pipeline, Events.raw("{\"id\":\"e1\",\"amount\":true}"));
    PAssert.thatSingleton(result.deadLetters())
        .satisfies(
            dead -> {
              assertThat(
                  dead.message(), containsString("'amount': expected double, found a boolean"));
              return null;
            });
    pipeline.run();
  }
}
