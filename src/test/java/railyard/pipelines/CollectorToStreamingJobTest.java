package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.collector.Collector;
import railyard.io.collector.CollectorConfig;
import railyard.io.collector.CollectorRequests;
import railyard.io.generator.EventGenerator;
import railyard.io.generator.GeneratorConfig;
import railyard.io.kafka.JobOutputs;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;

/**
 * The embedded ingestion path end to end, on real sockets and files: events POSTed to the HTTP
 * collector (lake sink) are followed out of the lake by a streaming job on Flink into the
 * warehouse and the serving store. Every accepted event must be in the lake exactly once (same
 * bytes), in the warehouse once per id, and counted once in the serving totals.
 */
@RunWith(JUnit4.class)
public class CollectorToStreamingJobTest {
  private static final String SPEC = "src/test/resources/specs/e2e.yaml";
  private static final int EVENTS = 1_500;
  private static final int PER_REQUEST = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void everyAcceptedEventReachesLakeWarehouseAndServingOnce() throws Exception {
    PipelineSpec spec = SpecLoader.load(Path.of(SPEC));
    File out = folder.newFolder("out");
    Instant start = Instant.now();
    List<byte[]> payloads = payloads(spec, start);

    long accepted = 0;
    try (Collector collector = Collector.start(collectorConfig(out, spec.name()))) {
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < payloads.size(); i += PER_REQUEST) {
        HttpResponse<String> answer =
            http.send(
                CollectorRequests.ndjson(collector.uri(), payloads.subList(i, Math.min(payloads.size(), i + PER_REQUEST))),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body(), answer.statusCode(), equalTo(202));
        accepted += JSON.readTree(answer.body()).get("accepted").asLong();
      }
    }

    RunSummary job =
        JobRun.run(
            SPEC,
            out,
            "--mode=streaming",
            "--source=lake",
            "--from=" + start.minus(Duration.standardHours(1)),
            "--stopWhenIdleFor=5s");

    Set<String> ids = new HashSet<>();
    List<String> sent = new ArrayList<>();
    for (byte[] payload : payloads) {
      ids.add(JSON.readTree(payload).get(spec.dedupe().key()).asText());
      sent.add(JobOutputs.sha256(payload));
    }
    assertThat(accepted, equalTo((long) EVENTS));
    assertThat(job.counter("received"), equalTo(accepted));
    JobOutputs outputs = new JobOutputs(out.toPath());
    assertThat(outputs.lakePayloadDigests(), containsInAnyOrder(sent.toArray()));
    assertThat(outputs.warehouseValues("_event_id"), containsInAnyOrder(ids.toArray()));
    assertThat(outputs.servedEvents("by_country_1m"), equalTo((long) ids.size()));
  }

  /** Generated events received from {@code start} on: no malformed or late ones, some resends. */
  private static List<byte[]> payloads(PipelineSpec spec, Instant start) {
    GeneratorConfig config =
        new GeneratorConfig(
            11L, EVENTS, 500.0, 0.0, start, 0.03, 0.0, 0.0,
            Duration.standardSeconds(2), Duration.standardMinutes(1));
    EventGenerator generator =
        new EventGenerator(config, spec.schema(), spec.dedupe().key(), spec.eventTime().field());
    List<byte[]> payloads = new ArrayList<>();
    for (long i = 0; i < EVENTS; i++) {
      payloads.add(generator.event(i).payload());
    }
    return payloads;
  }

  private static CollectorConfig collectorConfig(File out, String pipeline) {
    return CollectorConfig.parse(
        new String[] {
          "--port=0", "--sink=lake", "--lake=" + new File(out, "lake"), "--pipeline=" + pipeline,
          "--flushMillis=20"
        });
  }
}
