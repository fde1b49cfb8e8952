package railyard.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.joda.time.Duration;
import org.junit.Test;

public class SpecDurationsTest {

  @Test
  public void parsesEveryUnit() {
    assertThat(Durations.parse("500ms"), is(Duration.millis(500)));
    assertThat(Durations.parse("30s"), is(Duration.standardSeconds(30)));
    assertThat(Durations.parse("5m"), is(Duration.standardMinutes(5)));
    assertThat(Durations.parse("1h"), is(Duration.standardHours(1)));
    assertThat(Durations.parse("2d"), is(Duration.standardDays(2)));
  }

  @Test
  public void rejectsWhatIsNotAWholeNumberAndAUnit() {
    for (String bad : new String[] {"5 minutes", "5 m", "1.5s", "-1s", "5", "m", "5M", ""}) {
      assertThat(bad, Durations.parse(bad), is(nullValue()));
    }
  }

  @Test
  public void formatsInTheLargestWholeUnit() {
    assertThat(Durations.format(Duration.standardMinutes(90)), is("90m"));
    assertThat(Durations.format(Duration.standardHours(48)), is("2d"));
    assertThat(Durations.format(Duration.millis(1500)), is("1500ms"));
    assertThat(Durations.format(Duration.ZERO), is("0ms"));
  }
}
