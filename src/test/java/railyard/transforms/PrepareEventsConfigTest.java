package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Preparation refuses to start without the fields it reads, naming the call that gives each. */
@RunWith(JUnit4.class)
public class PrepareEventsConfigTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private IllegalArgumentException refusal(PrepareEvents prepare) {
    pipeline.enableAbandonedNodeEnforcement(false);
    return assertThrows(
        IllegalArgumentException.class,
        () -> pipeline.apply(Create.of(Events.raw("{}"))).apply(prepare));
  }

  private static PrepareEvents withoutFields() {
    return PrepareEvents.of(Events.SCHEMA)
        .withAllowedSkew(Duration.standardHours(1))
        .withDedupeHorizon(Duration.standardMinutes(10));
  }

  @Test
  public void needsTheEventIdField() {
    assertThat(
        refusal(withoutFields().withEventTimeField("ts")).getMessage(),
        containsString("withEventIdField()"));
  }

  @Test
  public void needsTheEventTimeField() {
    assertThat(
        refusal(withoutFields().withEventIdField("id")).getMessage(),
        containsString("withEventTimeField()"));
  }
}
