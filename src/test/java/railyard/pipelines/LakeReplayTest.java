package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;
import railyard.schema.ViewSpec;
import railyard.spec.PipelineSpec;

/**
 * The backfill: a streaming run keeps its raw events in the lake; a batch run replaying that lake
 * must write, as the batch layer, the same final rows the stream served — and must not write the
 * lake again. A streaming run following the lake (the kappa replay) must serve what the batch
 * replay serves.
 */
@RunWith(JUnit4.class)
public class LakeReplayTest {
  private static final String SPEC = "src/test/resources/specs/e2e.yaml";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private RunSummary run(File out, String... extra) {
    return JobRun.run(SPEC, out, extra);
  }

  private static Map<String, String> finalRows(PipelineSpec spec, String serving, ServingRow.Layer layer) {
    Map<String, String> rows = new TreeMap<>();
    try (ServingStore store = ServingStore.open(serving)) {
      for (ViewSpec view : spec.views()) {
        for (ServingRow row : store.readLayer(view.name(), layer)) {
          rows.put(
              row.view() + "|" + row.key() + "|" + row.windowStart() + "|" + row.windowEnd(),
              row.eventCount() + " " + rounded(row.metrics()));
        }
      }
    }
    return rows;
  }

  /** Metrics to four decimals: batch and stream may add the same values in another order. */
  private static String rounded(Map<String, Double> metrics) {
    StringBuilder text = new StringBuilder();
    metrics.forEach((name, value) -> text.append(name).append('=').append(String.format("%.4f ", value)));
    return text.toString();
  }

  @Test
  public void followingTheLakeInStreamingServesWhatTheBatchReplayServes() throws Exception {
    File out = folder.newFolder("out");
    RunSummary stream = run(out, "--mode=streaming");
    String[] range = {"--from=2026-03-01T00:00:00Z", "--to=2026-03-02T00:00:00Z"};
    run(out, "--mode=batch", "--source=lake", range[0], range[1]);
    File followed = new File(out, "followed.db");
    RunSummary follow =
        run(
            out,
            "--mode=streaming",
            "--source=lake",
            range[0],
            "--stopWhenIdleFor=5s",
            "--serving=" + followed);

    assertThat(follow.counter("received"), equalTo(stream.counter("received")));
    assertThat(
        finalRows(stream.spec(), followed.getPath(), ServingRow.Layer.SPEED),
        equalTo(finalRows(stream.spec(), new File(out, "serving.db").getPath(), ServingRow.Layer.BATCH)));
    assertThat(
        OutputFiles.avroRecords(out.toPath().resolve("lake/raw")),
        equalTo(stream.counter("received")));
  }

  @Test
  public void aPartialBackfillServesWhatAFullReplayServesWindowByWindow() throws Exception {
    File out = folder.newFolder("out");
    JobRun.run(BackfillRuns.SPEC, out, "--mode=streaming");
    JobRun.run(BackfillRuns.SPEC, out, BackfillRuns.backfill());
    File full = new File(out, "full.db");
    JobRun.run(BackfillRuns.SPEC, out, BackfillRuns.fullReplay(full));

    String served = new File(out, "serving.db").getPath();
    assertThat(BackfillRuns.merged(served), equalTo(BackfillRuns.merged(full.getPath())));
    assertThat(BackfillRuns.batchRows(served, "by_country_1m"), greaterThan(0L));
  }

  @Test
  public void replayingTheLakeInBatchServesWhatTheStreamServed() throws Exception {
    File out = folder.newFolder("out");
    RunSummary stream = run(out, "--mode=streaming");
    RunSummary replay =
        run(out, "--mode=batch", "--source=lake", "--from=2026-03-01T00:00:00Z", "--to=2026-03-02T00:00:00Z");

    String serving = new File(out, "serving.db").getPath();
    assertThat(
        finalRows(stream.spec(), serving, ServingRow.Layer.BATCH),
        equalTo(finalRows(stream.spec(), serving, ServingRow.Layer.SPEED)));
    assertThat(replay.counter("received"), equalTo(stream.counter("received")));
    assertThat(
        OutputFiles.avroRecords(out.toPath().resolve("lake/raw")),
        equalTo(stream.counter("received")));
  }
}
