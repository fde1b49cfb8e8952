package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * Preparation of a schema at version 2 whose records may name their version in {@code v}: a
 * record fits a version when that version is declared and it carries no field added after it; a
 * record that fits no version is a dead letter ({@code validate/no_schema_version}).
 */
@RunWith(JUnit4.class)
public class SchemaVersionRecordsTest {
  private static final DeclaredSchema V2 =
      new DeclaredSchema(
          "orders",
          2,
          List.of(
              FieldSpec.of("id", FieldKind.STRING).asRequired(),
              FieldSpec.of("v", FieldKind.LONG),
              FieldSpec.of("coupon", FieldKind.STRING),
              FieldSpec.of("ts", FieldKind.TIMESTAMP).asRequired()),
          Map.of("coupon", 2),
          "v");

  private static final String V1_RECORD = "{\"id\":\"a\",\"v\":1,\"ts\":\"2026-01-01T00:00:00Z\"}";
  private static final String V2_RECORD =
      "{\"id\":\"b\",\"v\":2,\"coupon\":\"SPRING\",\"ts\":\"2026-01-01T00:00:01Z\"}";
  private static final String UNVERSIONED =
      "{\"id\":\"c\",\"coupon\":\"X\",\"ts\":\"2026-01-01T00:00:02Z\"}";
  private static final String UNDECLARED_VERSION =
      "{\"id\":\"d\",\"v\":3,\"ts\":\"2026-01-01T00:00:03Z\"}";
  private static final String FIELD_NEWER_THAN_ITS_VERSION =
      "{\"id\":\"e\",\"v\":1,\"coupon\":\"EARLY\",\"ts\":\"2026-01-01T00:00:04Z\"}";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static WithDeadLetters<Row> prepare(PCollection<RawEvent> events) {
    return events.apply(
        PrepareEvents.of(V2)
            .withEventIdField("id")
            .withEventTimeField("ts")
            .withAllowedSkew(Duration.standardHours(1))
            .withDedupeHorizon(Duration.standardMinutes(10)));
  }

  /** A record received at T0 and stamped with that time, as a source stamps it. */
  private static TimestampedValue<RawEvent> received(String json) {
    return TimestampedValue.of(Events.raw(json), Events.T0);
  }

  @Test
  public void recordsOfEveryDeclaredVersionPass() {
    WithDeadLetters<Row> result =
        prepare(
            pipeline.apply(
                Create.of(Events.raw(V1_RECORD), Events.raw(V2_RECORD), Events.raw(UNVERSIONED))));
    PAssert.that(Prepared.ids(result)).containsInAnyOrder("a", "b", "c");
    PAssert.that(result.deadLetters()).empty();
    pipeline.run();
  }

  @Test
  public void aRecordOfAnUndeclaredVersionIsADeadLetter() {
    WithDeadLetters<Row> result = prepare(pipeline.apply(Create.of(Events.raw(UNDECLARED_VERSION))));
    PAssert.that(result.output()).empty();
    PAssert.thatSingleton(result.deadLetters())
        .satisfies(
            dead -> {
              assertThat(dead.reason(), equalTo("no_schema_version"));
              assertThat(dead.message(), containsString("schema version 3"));
              assertThat(dead.payloadText(), equalTo(UNDECLARED_VERSION));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void aRecordWithAFieldNewerThanItsVersionIsADeadLetter() {
    WithDeadLetters<Row> result =
        prepare(pipeline.apply(Create.of(Events.raw(FIELD_NEWER_THAN_ITS_VERSION))));
    PAssert.that(result.output()).empty();
    PAssert.thatSingleton(result.deadLetters())
        .satisfies(
            dead -> {
              assertThat(dead.reason(), equalTo("no_schema_version"));
              assertThat(dead.message(), containsString("'coupon'"));
              assertThat(dead.message(), containsString("version 1"));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void inAStreamRecordsThatFitNoVersionAreDeadLettersAndTheRestPass() {
    TestStream<RawEvent> stream =
        TestStream.create(RawEvent.RawEventCoder.of())
            .addElements(received(V1_RECORD), received(UNDECLARED_VERSION))
            .advanceProcessingTime(Duration.standardSeconds(1))
            .addElements(received(V2_RECORD), received(FIELD_NEWER_THAN_ITS_VERSION))
            .advanceWatermarkToInfinity();
    WithDeadLetters<Row> result = prepare(pipeline.apply("Stream", stream));
    PAssert.that(Prepared.ids(result)).containsInAnyOrder("a", "b");
    PAssert.that(Prepared.reasons(result))
        .containsInAnyOrder("no_schema_version", "no_schema_version");
    pipeline.run();
  }
}
