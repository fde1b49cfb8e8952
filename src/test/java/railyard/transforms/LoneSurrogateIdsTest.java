package railyard.transforms;

import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;

/**
 * Event ids written with JSON escapes of lone UTF-16 surrogates ({@code "x\ud800"}) are valid JSON
 * but not Unicode text: such a record is a dead letter, so it can never be turned into {@code "x?"}
 * on the way and then deduplicated against a real {@code "x?"}.
 */
@RunWith(JUnit4.class)
public class LoneSurrogateIdsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final RawEvent HIGH = event("x\\ud800", 1);
  private static final RawEvent OTHER_HIGH = event("x\\udbff", 2);
  private static final RawEvent QUESTION_MARK = event("x?", 3);

  /** A purchase whose id is {@code idJson} as written inside the JSON string's quotes. */
  private static RawEvent event(String idJson, int second) {
    return Events.raw(
        "{\"id\":\"" + idJson + "\",\"user\":\"ann\",\"amount\":1.5,\"ts\":\"" + Events.T0 + "\"}",
        Events.T0.plus(Duration.standardSeconds(second)));
  }

  private static PCollection<String> ids(WithDeadLetters<Row> prepared) {
    return prepared.output()
        .apply("Ids", MapElements.into(TypeDescriptors.strings())
            .via(row -> row.getString(DeclaredSchema.EVENT_ID)));
  }

  private static PCollection<String> reasons(WithDeadLetters<?> prepared) {
    return prepared.deadLetters()
        .apply("Reasons", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::reason));
  }

  /** Valid rows before deduplication: one, so nothing was taken for a copy. */
  private static PCollection<Long> validCopies(WithDeadLetters<Row> prepared) {
    return prepared.get(PrepareEvents.VALID)
        .apply("Valid", Count.globally());
  }

  @Test
  public void keepsTheRealIdAndRejectsEachLoneSurrogateIdInABoundedRun() {
    WithDeadLetters<Row> prepared =
        pipeline.apply(Create.of(List.of(HIGH, OTHER_HIGH, QUESTION_MARK))).apply(Events.prepare());
    PAssert.that(ids(prepared)).containsInAnyOrder("x?");
    PAssert.that(reasons(prepared)).containsInAnyOrder("lone_surrogate", "lone_surrogate");
    PAssert.thatSingleton(validCopies(prepared)).isEqualTo(1L);
    pipeline.run();
  }

  @Test
  public void keepsTheRealIdAndRejectsEachLoneSurrogateIdInAStream() {
    TestStream<RawEvent> stream =
        TestStream.create(RawEvent.RawEventCoder.of())
            .addElements(TimestampedValue.of(HIGH, Events.T0.plus(Duration.standardSeconds(1))))
            .advanceWatermarkTo(Events.T0.plus(Duration.standardSeconds(2)))
            .addElements(
                TimestampedValue.of(OTHER_HIGH, Events.T0.plus(Duration.standardSeconds(2))),
                TimestampedValue.of(QUESTION_MARK, Events.T0.plus(Duration.standardSeconds(3))))
            .advanceWatermarkToInfinity();
    WithDeadLetters<Row> prepared = pipeline.apply(stream).apply(Events.prepare());
    // Preparation aggregates nothing: its rows and dead letters leave as they come, in no pane.
    PAssert.that(ids(prepared)).containsInAnyOrder("x?");
    PAssert.that(reasons(prepared)).containsInAnyOrder("lone_surrogate", "lone_surrogate");
    pipeline.run();
  }
}
