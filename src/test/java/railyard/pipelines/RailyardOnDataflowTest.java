package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class RailyardOnDataflowTest {
  @Test
  public void aLaunchWithoutARunnerRunsOnDataflow() {
    assertThat(
        RailyardOnDataflow.withDataflowRunner(new String[] {"--spec=s.yaml", "--mode=batch"}),
        arrayContaining("--runner=DataflowRunner", "--spec=s.yaml", "--mode=batch"));
  }

  @Test
  public void aLaunchThatNamesARunnerKeepsIt() {
    assertThat(
        RailyardOnDataflow.withDataflowRunner(new String[] {"--spec=s.yaml", "--runner=FlinkRunner"}),
        arrayContaining("--spec=s.yaml", "--runner=FlinkRunner"));
  }
}
