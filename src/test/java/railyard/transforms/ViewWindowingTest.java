package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

@RunWith(JUnit4.class)
public class ViewWindowingTest {
  private static final ViewSpec EARLY_EVERY_10S =
      Events.view(
          "sales",
          WindowSpec.fixed(Duration.standardMinutes(1)),
          Duration.standardSeconds(10),
          Duration.standardMinutes(5));

  @Rule public final transient TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private static Trigger triggerOf(PCollection<Row> rows) {
    return rows.apply(ViewWindowing.of(EARLY_EVERY_10S, rows.isBounded()))
        .getWindowingStrategy()
        .getTrigger();
  }

  @Test
  public void anUnboundedViewFiresSpeculativePanes() {
    PCollection<Row> rows =
        pipeline.apply(TestStream.create(Events.SCHEMA.rowSchema()).advanceWatermarkToInfinity());

    assertThat(triggerOf(rows).toString(), containsString("withEarlyFirings"));
  }

  @Test
  public void aBoundedViewFiresOnTimeAndLatePanesOnly() {
    PCollection<Row> rows =
        pipeline.apply(Create.empty(Events.SCHEMA.rowSchema())).setRowSchema(Events.SCHEMA.rowSchema());

    assertThat(
        triggerOf(rows),
        equalTo(AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1))));
  }
}
