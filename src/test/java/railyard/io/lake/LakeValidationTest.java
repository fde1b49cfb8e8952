package railyard.io.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/** A misconfigured lake transform fails at construction, naming the call that is missing. */
@RunWith(JUnit4.class)
public class LakeValidationTest {
  private final Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());

  @Test
  public void writeWithoutRootNamesWithRoot() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline
                    .apply(Create.empty(RawEvent.RawEventCoder.of()))
                    .apply(RawLakeWrite.create().withPipelineName("p")));
    assertThat(e.getMessage(), containsString("withRoot("));
  }

  @Test
  public void writeWithoutPipelineNameNamesWithPipelineName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline
                    .apply(Create.empty(RawEvent.RawEventCoder.of()))
                    .apply(RawLakeWrite.create().withRoot("/lake")));
    assertThat(e.getMessage(), containsString("withPipelineName("));
  }

  @Test
  public void readWithoutTimeRangeNamesWithTimeRange() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pipeline.apply(RawLakeRead.create().withRoot("/lake").withPipelineName("p")));
    assertThat(e.getMessage(), containsString("withTimeRange("));
  }

  @Test
  public void readWithAnEmptyRangeIsRejected() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pipeline.apply(
                    RawLakeRead.create().withRoot("/lake").withPipelineName("p").withTimeRange(t, t)));
    assertThat(e.getMessage(), containsString("from before to"));
  }
}
