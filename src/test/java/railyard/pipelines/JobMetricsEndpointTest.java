package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.metrics.PrometheusText;
import railyard.transforms.RailyardMetrics;

/**
 * {@code --metricsPort}: while an in-process job runs, Prometheus can scrape its Beam metrics over
 * loopback, and they grow towards the totals the finished run reports.
 */
@RunWith(JUnit4.class)
public class JobMetricsEndpointTest {
  private static final String SPEC = "src/test/resources/specs/e2e.yaml";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  public void aRunningFlinkJobServesItsCountersForPrometheus() throws Exception {
    // Beam's Flink operators publish their metrics after each bundle (about a second); the run
    // lasts 20 s.
    scrapesWhileRunning("--runner=FlinkRunner", 6_000, 300);
  }

  @Test
  public void aRunningDirectJobServesItsCountersForPrometheus() throws Exception {
    scrapesWhileRunning("--runner=DirectRunner", 1_000, 200);
  }

  private void scrapesWhileRunning(String runner, long events, int rate) throws Exception {
    int port = freePort();
    File out = folder.newFolder();
    CompletableFuture<RunSummary> run =
        CompletableFuture.supplyAsync(
            () ->
                JobRun.run(
                    SPEC,
                    out,
                    runner,
                    "--mode=streaming",
                    "--events=" + events,
                    "--rate=" + rate,
                    "--metricsPort=" + port,
                    "--publishFilesEvery=5s"));

    PrometheusText live = null;
    while (!run.isDone() && live == null) {
      PrometheusText scraped = scrape(port);
      if (scraped != null && scraped.value("railyard_job_received_total") > 0) {
        live = scraped;
      } else {
        Thread.sleep(200);
      }
    }
    RunSummary summary = run.get(5, TimeUnit.MINUTES);

    assertThat("scraped while the job ran", live != null, is(true));
    double received = live.value("railyard_job_received_total");
    // Part of the events, not the total a finished job hands over.
    assertThat("received when first scraped", received, lessThan((double) events));
    assertThat(summary.counter(RailyardMetrics.RECEIVED), equalTo(events));
    assertThat(live.value("railyard_job_record_bytes", "stat", "count"), greaterThan(0.0));
    assertThat("the endpoint closes with the run", scrape(port) == null, is(true));
  }

  /** The scraped page, or null while nothing listens on {@code port}. */
  private PrometheusText scrape(int port) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body(), response.statusCode(), is(200));
      return new PrometheusText(response.body());
    } catch (ConnectException e) {
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
