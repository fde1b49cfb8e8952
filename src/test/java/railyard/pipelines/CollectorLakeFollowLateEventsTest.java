package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
import railyard.io.collector.Collector;
import railyard.io.collector.CollectorConfig;
import railyard.io.collector.CollectorRequests;

/**
 * Events POSTed to the HTTP collector (lake sink) while a streaming job on Flink follows the lake:
 * they reach the warehouse while the job runs, and so do year-old events (accepted by {@code
 * allowedSkew}) sent once the job's watermark has moved far past them.
 */
@RunWith(JUnit4.class)
public class CollectorLakeFollowLateEventsTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final ExecutorService jobThread = Executors.newSingleThreadExecutor();

  @After
  public void stopWaiting() {
    jobThread.shutdownNow();
  }

  private static byte[] event(String id, Instant ts) {
    return ("{\"id\":\"" + id + "\",\"shop\":\"north\",\"total\":1.5,\"ts\":\"" + ts + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void post(Collector collector, byte[]... events) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                CollectorRequests.ndjson(collector.uri(), List.of(events)),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.body(), answer.statusCode(), equalTo(202));
  }

  @Test
  public void yearOldEventsPostedAfterTheWatermarkMovedOnReachTheWarehouse() throws Exception {
    File spec = folder.newFile("follow.yaml");
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: follow",
            "source: {type: lake}",
            FileImportSpecs.ordersSchema("400d"),
            ""));
    File out = folder.newFolder("out");
    Path warehouse = out.toPath().resolve("warehouse");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    CollectorConfig config =
        CollectorConfig.parse(
            new String[] {
              "--port=0", "--sink=lake", "--lake=" + new File(out, "lake"), "--pipeline=follow",
              "--flushMillis=20"
            });
    try (Collector collector = Collector.start(config)) {
      Future<RunSummary> job =
          jobThread.submit(
              () ->
                  JobRun.run(
                      spec.toString(),
                      out,
                      "--mode=streaming",
                      "--source=lake",
                      "--from=" + now.minus(1, ChronoUnit.HOURS),
                      "--publishFilesEvery=5s",
                      "--stopWhenIdleFor=30s"));

      post(collector, event("r1", now), event("r2", now));
      WhileRunning.await(
          "the recent events' warehouse rows", job, () -> OutputFiles.parquetRows(warehouse) == 2);

      Instant yearAgo = now.minus(365, ChronoUnit.DAYS);
      post(collector, event("o1", yearAgo), event("o2", yearAgo.plusSeconds(60)));
      WhileRunning.await(
          "the year-old events' warehouse rows", job, () -> OutputFiles.parquetRows(warehouse) == 4);

      job.get(WhileRunning.WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertThat(OutputFiles.parquetRows(warehouse), equalTo(4L));
  }
}
