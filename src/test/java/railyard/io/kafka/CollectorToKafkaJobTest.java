package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
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
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;

/**
 * Slow (about 1.5 minutes): the ingestion path on real parts. Events POSTed to the HTTP collector
 * go to the Kafka broker (the collector answers once the broker has acknowledged them), and the
 * streaming job on in-process Flink reads them into the raw lake, the warehouse and the serving
 * store. Every accepted event must be in the lake exactly once with the bytes sent, every id in
 * the warehouse once, and the served totals must count each once.
 *
 * <p>The collector stamps the events with the time they arrive, so the lake's and the views'
 * one-minute windows close on the clock: the test waits for the watermark to pass them.
 */
@RunWith(JUnit4.class)
public class CollectorToKafkaJobTest {
  private static final int EVENTS = 1_200;
  private static final int PER_REQUEST = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @BeforeClass
  public static void broker() throws Exception {
    KafkaBroker.ensureRunning();
  }

  @Test
  public void everyAcceptedEventIsInTheLakeOnceAndServedOnce() throws Exception {
    String topic = KafkaBroker.newTopic("collector", 2);
    Path spec = KafkaJobRun.spec(folder.getRoot().toPath(), topic, "railyard-" + topic);
    PipelineSpec loaded = SpecLoader.load(spec);
    List<byte[]> payloads = payloads(loaded);
    JobOutputs outputs = new JobOutputs(folder.newFolder("out").toPath());

    PipelineResult job = KafkaJobRun.start(spec, outputs.lake().getParent());
    long accepted = 0;
    try {
      try (Collector collector = Collector.start(collectorConfig(topic))) {
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
      Set<String> ids = ids(loaded, payloads);
      KafkaJobRun.await(
          Duration.standardMinutes(3),
          () ->
              outputs.lakeSources().size() >= EVENTS
                  && outputs.warehouseValues("event_id").size() >= ids.size()
                  && outputs.servedEvents(KafkaJobRun.VIEW) >= ids.size());
    } finally {
      job.cancel();
    }

    List<String> sent = new ArrayList<>();
    for (byte[] payload : payloads) {
      sent.add(JobOutputs.sha256(payload));
    }
    Set<String> ids = ids(loaded, payloads);
    assertThat("accepted", accepted, equalTo((long) EVENTS));
    assertThat("lake payloads", outputs.lakePayloadDigests(), containsInAnyOrder(sent.toArray()));
    assertThat("distinct lake sources", new HashSet<>(outputs.lakeSources()).size(), equalTo(EVENTS));
    assertThat(
        "warehouse ids", outputs.warehouseValues("event_id"), containsInAnyOrder(ids.toArray()));
    assertThat("served events", outputs.servedEvents(KafkaJobRun.VIEW), equalTo((long) ids.size()));
  }

  /** Events whose times are now (the collector stamps arrival now); some are resends. */
  private static List<byte[]> payloads(PipelineSpec spec) {
    GeneratorConfig config =
        new GeneratorConfig(
            5L, EVENTS, 400.0, 0.0, Instant.now(), 0.03, 0.0, 0.0,
            Duration.standardSeconds(2), Duration.standardMinutes(1));
    EventGenerator generator =
        new EventGenerator(config, spec.schema(), spec.dedupe().key(), spec.eventTime().field());
    List<byte[]> payloads = new ArrayList<>();
    for (long i = 0; i < EVENTS; i++) {
      payloads.add(generator.event(i).payload());
    }
    return payloads;
  }

  private static Set<String> ids(PipelineSpec spec, List<byte[]> payloads) throws Exception {
    Set<String> ids = new HashSet<>();
    for (byte[] payload : payloads) {
      ids.add(JSON.readTree(payload).get(spec.dedupe().key()).asText());
    }
    return ids;
  }

  private static CollectorConfig collectorConfig(String topic) {
    return CollectorConfig.parse(
        new String[] {
          "--port=0", "--sink=kafka", "--kafkaBootstrap=" + KafkaBroker.BOOTSTRAP, "--topic=" + topic
        });
  }
}
