package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.testing.CapturedLog;
import railyard.transforms.RailyardMetrics;

/** A run that goes well prints no stack trace, whatever the runner does on the way. */
@RunWith(JUnit4.class)
public class CleanRunLogTest {
  private static final String SPEC = "src/test/resources/specs/e2e.yaml";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /**
   * Flink declines the checkpoints it triggers while a finished source's tasks close ("tasks not
   * ready"); it logged each with its trace, about 130 lines at the end of every streaming run.
   */
  @Test
  public void streamingRunOnFlinkLogsNoStackTrace() throws Exception {
    RunSummary run;
    try (CapturedLog log = CapturedLog.open()) {
      run =
          JobRun.run(
              SPEC, folder.newFolder(), "--mode=streaming", "--events=300", "--checkpointingInterval=200");
      assertThat(log.stackTraces(), empty());
    }
    assertThat(run.counter(RailyardMetrics.RECEIVED), equalTo(300L));
  }
}
