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
 * A JSON escape of a lone UTF-16 surrogate ({@code "\\ud800"}) is valid JSON but not Unicode
 * text: preparation rejects it ({@code lone_surrogate}) in any string or name, declared or not,
 * and reads escaped pairs and escaped backslashes as the text they stand for. For event ids and
 * deduplication, see {@link LoneSurrogateIdsTest}.
 */
@RunWith(JUnit4.class)
public class PrepareEventsLoneSurrogateTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private void expectLoneSurrogate(String json) {
    RawEvent event = Events.raw(json);
    Prepared.expectOnlyDeadLetter(
        Events.prepare(pipeline, event), event, DeadLetter.Stage.PARSE, "lone_surrogate");
    pipeline.run();
  }

  @Test
  public void rejectsALoneHighSurrogateInTheEventId() {
    expectLoneSurrogate("{\"id\":\"x\\ud800\",\"ts\":\"2026-01-01T00:00:00Z\"}");
  }

  @Test
  public void rejectsALoneLowSurrogateInADeclaredField() {
    expectLoneSurrogate("{\"id\":\"e1\",\"user\":\"\\udc00u\"}");
  }

  @Test
  public void rejectsSurrogatesInTheWrongOrder() {
    expectLoneSurrogate("{\"id\":\"e1\",\"user\":\"\\ude00\\ud83d\"}");
  }

  @Test
  public void rejectsALoneSurrogateInAnUndeclaredField() {
    expectLoneSurrogate("{\"id\":\"e1\",\"extra\":\"\\ud800\"}");
  }

  @Test
  public void rejectsALoneSurrogateDeepInAnUndeclaredValue() {
    expectLoneSurrogate("{\"id\":\"e1\",\"extra\":{\"a\":[1,{\"b\":\"\\udbff\"}]}}");
  }

  @Test
  public void rejectsALoneSurrogateInAFieldName() {
    expectLoneSurrogate("{\"id\":\"e1\",\"ex\\ud800\":1}");
  }

  @Test
  public void namesTheFieldThatHoldsALoneSurrogate() {
    WithDeadLetters<Row> result = Events.prepare(pipeline, Events.raw("{\"id\":\"x\\ud800\"}"));
    PAssert.thatSingleton(Prepared.messages(result))
        .isEqualTo("field 'id': \\ud800 is a lone surrogate, which is not Unicode text");
    pipeline.run();
  }

  @Test
  public void readsAnEscapedSurrogatePairAsItsCharacter() {
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline,
            Events.raw("{\"id\":\"e\\ud83d\\ude00\",\"user\":\"u\",\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.that(result.deadLetters()).empty();
    PAssert.thatSingleton(Prepared.ids(result)).isEqualTo("e\uD83D\uDE00");
    pipeline.run();
  }

  @Test
  public void readsAnEscapedBackslashBeforeUAsText() {
    WithDeadLetters<Row> result =
        Events.prepare(
            pipeline,
            Events.raw("{\"id\":\"a\\\\ud800\",\"user\":\"u\",\"ts\":\"2026-01-01T00:00:00Z\"}"));
    PAssert.that(result.deadLetters()).empty();
    PAssert.thatSingleton(Prepared.ids(result)).isEqualTo("a\\ud800");
    pipeline.run();
  }
}
