package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.File;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.transforms.RailyardMetrics;

/**
 * Every stage of a whole job counts what it was given, and the counts read back from the run's
 * {@code PipelineResult.metrics()} balance exactly: nothing leaves the flow uncounted.
 */
@RunWith(JUnit4.class)
public class StageMetricsJobTest {
  private static final String SPEC = "src/test/resources/specs/e2e.yaml";
  private static final long EVENTS = 1_000;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void batchRunBalancesInAgainstOutDuplicatesAndDeadLetters() throws Exception {
    RunSummary run =
        JobRun.run(SPEC, folder.newFolder(), "--mode=batch", "--runner=DirectRunner", "--events=" + EVENTS);
    assertBalanced(run);
  }

  @Test
  public void streamingRunBalancesInAgainstOutDuplicatesAndDeadLetters() throws Exception {
    RunSummary run =
        JobRun.run(SPEC, folder.newFolder(), "--mode=streaming", "--events=" + EVENTS);
    assertBalanced(run);
  }

  private static void assertBalanced(RunSummary run) {
    long received = run.counter(RailyardMetrics.RECEIVED);
    long valid = run.counter(RailyardMetrics.VALID);
    long unique = run.counter(RailyardMetrics.UNIQUE);
    long duplicates = run.counter(RailyardMetrics.DUPLICATES);
    long deadLetters = run.deadLetterTotal();

    assertThat("received", received, equalTo(EVENTS));
    assertThat("the generator's malformed and duplicate events", deadLetters * duplicates, greaterThan(0L));
    assertThat("in = out + duplicates + dead letters", unique + duplicates + deadLetters, equalTo(received));
    assertThat("valid = out + duplicates", unique + duplicates, equalTo(valid));
    assertThat("raw lake", run.counter(RailyardMetrics.LAKE_RECORDS), equalTo(received));
    assertThat("warehouse", run.counter(RailyardMetrics.WAREHOUSE_ROWS), equalTo(unique));
    assertThat("rows in published warehouse files", run.counter(RailyardMetrics.WAREHOUSE_ROWS_WRITTEN),
        equalTo(unique));
    assertThat("dead letters written", run.counter(RailyardMetrics.DEAD_LETTERS_WRITTEN), equalTo(deadLetters));

    long viewRows =
        run.counters().entrySet().stream()
            .filter(c -> c.getKey().startsWith(RailyardMetrics.VIEW_ROWS))
            .mapToLong(c -> c.getValue())
            .sum();
    long served = run.counter(RailyardMetrics.SERVING_ROWS_WRITTEN);
    assertThat("serving rows", served, greaterThan(0L));
    assertThat("every view row is served", served, equalTo(viewRows));
    assertThat("per view", run.servingRows().values().stream().mapToLong(Long::longValue).sum(), equalTo(served));

    DistributionResult batches = run.distribution(RailyardMetrics.SERVING_BATCH_ROWS);
    assertThat("serving batch sizes add up", batches.getSum(), equalTo(served));
    assertThat("one record size per record", run.distribution(RailyardMetrics.RECORD_BYTES).getCount(), equalTo(received));
    assertThat("one lag per valid record", run.distribution(RailyardMetrics.EVENT_LAG_MS).getCount(), equalTo(valid));
  }
}
