package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.serving.PostgresDatabase;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;
import railyard.transforms.RailyardMetrics;

/**
 * The run summary's figures are what they name, on a streaming run whose views drop late events
 * and whose serving store is PostgreSQL: warehouse rows are the rows in the published Parquet
 * files, and each view's late-dropped figure, with the events it served, accounts for every event.
 */
@RunWith(JUnit4.class)
public class RunSummaryJobTest {
  private static final String SPEC = "src/test/resources/specs/late-drops.yaml";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  @Test
  public void figuresOfAStreamingRunOnFlink() throws Exception {
    // Whether Flink drops any depends on how far its watermark runs ahead of the burst; the
    // accounting below must hold either way.
    checkFigures("FlinkRunner", false);
  }

  @Test
  public void figuresOfAStreamingRunOnDirect() throws Exception {
    checkFigures("DirectRunner", true);
  }

  private void checkFigures(String runner, boolean dropsExpected) throws Exception {
    File out = folder.newFolder();
    RunSummary run =
        JobRun.run(SPEC, out, "--mode=streaming", "--runner=" + runner, "--serving=" + database.location());
    long unique = run.counter(RailyardMetrics.UNIQUE);

    assertThat("published warehouse rows", run.counter(RailyardMetrics.WAREHOUSE_ROWS_WRITTEN),
        equalTo(OutputFiles.parquetRows(new File(out, "warehouse").toPath())));
    assertThat("warehouse rows", run.counter(RailyardMetrics.WAREHOUSE_ROWS_WRITTEN), equalTo(unique));
    if (dropsExpected) {
      assertThat("some late events dropped", run.lateDropped("by_minute"), greaterThan(0L));
    }
    // Fixed windows and sessions hold each event once, so served + dropped = every event; a
    // sliding window of 2m every 1m holds each twice and drops an event from each window it missed.
    assertThat("by_minute", served("by_minute") + run.lateDropped("by_minute"), equalTo(unique));
    assertThat("sessions", served("sessions") + run.lateDropped("sessions"), equalTo(unique));
    assertThat("by_two_minutes", served("by_two_minutes") + run.lateDropped("by_two_minutes"),
        equalTo(2 * unique));

    String printed = print(run);
    assertThat(printed, allOf(
        containsString("(PostgreSQL; table serving, view serving_merged)"),
        not(containsString("SQLite"))));
    assertThat(printed, containsString(String.format("warehouse rows   %,12d", unique)));
    assertThat(printed, matchesPattern(
        "(?s).*late, dropped by view.*\\n    by_minute +" + String.format("%,d", run.lateDropped("by_minute"))
            + "  events\\n.*"));
  }

  /** Events counted in the view's served rows: each window's newest pane, summed. */
  private long served(String view) {
    try (ServingStore store = ServingStore.open(database.location(), Set.of("sessions"))) {
      return store.readMerged(view).stream().mapToLong(ServingRow::eventCount).sum();
    }
  }

  private static String print(RunSummary run) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    run.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
