package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;

/** Preparation that keeps only the fields its consumers read. */
@RunWith(JUnit4.class)
public class PrepareEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private WithDeadLetters<Row> prepareKeeping(List<String> fields, RawEvent... events) {
    return pipeline
        .apply(Create.of(List.of(events)))
        .apply(Events.prepare().withKeptFields(fields));
  }

  private static String purchase(String id, String user, double amount) {
    return Events.purchase(id, user, "us", amount, Events.T0);
  }

  @Test
  public void keepsTheNamedFieldsAndWhatDeduplicationReads() {
    WithDeadLetters<Row> prepared =
        prepareKeeping(List.of("user", "amount"), Events.raw(purchase("e1", "ann", 5)));
    assertThat(
        prepared.output().getSchema().getFieldNames(),
        contains("user", "amount", DeclaredSchema.EVENT_ID, DeclaredSchema.RECEIVED_AT));
    PAssert.that(
            prepared.output()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(row -> row.getString("user") + " " + row.getDouble("amount")
                            + " " + row.getString(DeclaredSchema.EVENT_ID))))
        .containsInAnyOrder("ann 5.0 e1");
    pipeline.run();
  }

  @Test
  public void stillDeduplicatesOnTheKeptRows() {
    Instant later = Events.T0.plus(Duration.standardSeconds(5));
    PCollection<Row> unique =
        prepareKeeping(
                List.of("user"),
                Events.raw(purchase("e1", "ann", 5), Events.T0),
                Events.raw(purchase("e1", "ann", 5), later))
            .output();
    PAssert.that(
            unique.apply(
                MapElements.into(TypeDescriptors.longs())
                    .via(row -> row.getDateTime(DeclaredSchema.RECEIVED_AT).getMillis())))
        .containsInAnyOrder(Events.T0.getMillis());
    pipeline.run();
  }

  @Test
  public void stillValidatesTheFieldsItDoesNotKeep() {
    String tooLongNote =
        "{\"id\":\"e1\",\"user\":\"ann\",\"note\":\"longer than ten\",\"ts\":\"" + Events.T0 + "\"}";
    WithDeadLetters<Row> prepared = prepareKeeping(List.of("user"), Events.raw(tooLongNote));
    PAssert.that(prepared.output()).empty();
    PAssert.that(
            prepared.deadLetters()
                .apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.reason())))
        .containsInAnyOrder("too_long");
    pipeline.run();
  }

  @Test
  public void refusesToKeepAFieldTheSchemaDoesNotHave() {
    pipeline.enableAbandonedNodeEnforcement(false);
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> prepareKeeping(List.of("nonexistent"), Events.raw(purchase("e1", "ann", 5))));
    assertThat(refused.getMessage(), containsString("cannot keep field 'nonexistent'"));
  }
}
