package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * A watched folder streaming on Flink with checkpoints publishes while it runs: a file dropped after
 * the job started reaches the lake, the warehouse and the dead letters before the job ends, and a
 * second file of year-old events (accepted by {@code allowedSkew}), dropped once the watermark has
 * moved far past them, reaches the warehouse too.
 */
@RunWith(JUnit4.class)
public class WatchPublishesWhileRunningTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final ExecutorService jobThread = Executors.newSingleThreadExecutor();

  @After
  public void stopWaiting() {
    jobThread.shutdownNow();
  }

  private static String line(String id, Instant ts) {
    return "{\"id\":\"" + id + "\",\"shop\":\"north\",\"total\":1.5,\"ts\":\"" + ts + "\"}\n";
  }

  /** Writes {@code text} under a name the pattern does not match, then renames it into place. */
  private static void drop(Path drops, String name, String text) throws Exception {
    Path hidden = drops.resolve("." + name + ".part");
    Files.writeString(hidden, text);
    Files.move(hidden, drops.resolve(name));
  }

  @Test
  public void filesDroppedWhileTheJobRunsArePublishedBeforeItEndsLateEventsToo() throws Exception {
    Path drops = folder.newFolder("drops").toPath();
    File spec = folder.newFile("drops.yaml");
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: drops",
            "source: {type: watch, path: '" + drops + "/*.jsonl', pollInterval: 200ms,"
                + " stopWhenIdleFor: 30s}",
            FileImportSpecs.ordersSchema("400d"),
            ""));
    File out = folder.newFolder("out");
    Path lake = out.toPath().resolve("lake/raw/drops");
    Path deadLetters = out.toPath().resolve("lake/deadletter/drops");
    Path warehouse = out.toPath().resolve("warehouse");
    Future<RunSummary> job =
        jobThread.submit(() -> JobRun.run(spec.toString(), out, "--mode=streaming", "--publishFilesEvery=5s"));

    Thread.sleep(5_000); // the job is up and watching
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    drop(drops, "recent.jsonl", line("r1", now) + line("r2", now) + "{not json\n");
    WhileRunning.await("the first file's lake records", job, () -> OutputFiles.avroRecords(lake) == 3);
    WhileRunning.await(
        "the first file's warehouse rows", job, () -> OutputFiles.parquetRows(warehouse) == 2);
    WhileRunning.await(
        "the first file's dead letter", job, () -> OutputFiles.jsonLines(deadLetters) == 1);

    Instant yearAgo = now.minus(365, ChronoUnit.DAYS);
    drop(drops, "year-old.jsonl", line("o1", yearAgo) + line("o2", yearAgo.plusSeconds(60)));
    WhileRunning.await(
        "the year-old events' warehouse rows", job, () -> OutputFiles.parquetRows(warehouse) == 4);

    RunSummary summary = job.get(WhileRunning.WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(summary.counter(railyard.transforms.RailyardMetrics.RECEIVED), equalTo(5L));
    assertThat(OutputFiles.parquetRows(warehouse), equalTo(4L));
    assertThat(OutputFiles.avroRecords(lake), equalTo(5L));
  }
}
