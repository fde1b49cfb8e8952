package railyard.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import org.junit.Test;

public class SpecOverridesTest {

  private final PipelineSpec spec = SpecLoader.load(Path.of("examples/clickstream.yaml"));

  @Test
  public void noOverridesKeepTheSpec() {
    assertThat(spec.withOverrides(SpecOverrides.none()), is(spec));
  }

  @Test
  public void outputOverridesReplaceOnlyWhatIsGiven() {
    PipelineSpec overridden =
        spec.withOverrides(SpecOverrides.none().withLake("/tmp/lake").withServing(null));
    assertThat(
        overridden.outputs(),
        is(new Outputs("/tmp/lake", Outputs.DEFAULT_WAREHOUSE, Outputs.DEFAULT_SERVING)));
  }

  @Test
  public void generatorOverridesReplaceEventsRateAndSeed() {
    PipelineSpec overridden =
        spec.withOverrides(SpecOverrides.none().withEvents(1000L).withRate(50.0).withSeed(7L));
    assertThat(overridden.source().generator().events(), is(1000L));
    assertThat(overridden.source().generator().rate(), is(50.0));
    assertThat(overridden.source().generator().seed(), is(7L));
    assertThat(
        overridden.source().generator().eventsPerSecond(),
        is(spec.source().generator().eventsPerSecond()));
  }

  @Test(expected = IllegalArgumentException.class)
  public void negativeEventsOverrideIsRejected() {
    SpecOverrides.none().withEvents(-1L);
  }
}
