package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.files.Partitions;
import railyard.io.lake.RawLakeRead;
import railyard.model.RawEvent;

/** The lake sink: the lake's own format and layout, group commit, and nothing lost on stop. */
@RunWith(JUnit4.class)
public class LakeSinkTest {
  @Rule public final CollectorFixture c = new CollectorFixture("--flushMillis=300");
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void filesAreReadByRawLakeRead() throws Exception {
    long start = System.currentTimeMillis();
    c.post("application/json", "[{\"id\":\"a\"},{\"id\":\"b\"}]");
    c.post("application/x-ndjson", "{\"id\":\"c\"}\n");

    PCollection<String> read =
        pipeline
            .apply(
                RawLakeRead.create()
                    .withRoot(c.lake().toString())
                    .withPipelineName(CollectorFixture.PIPELINE)
                    .withTimeRange(new Instant(start - 1000), new Instant(System.currentTimeMillis() + 1000)))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via((RawEvent e) -> e.source() + " " + new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8)));
    PAssert.that(read)
        .containsInAnyOrder("http {\"id\":\"a\"}", "http {\"id\":\"b\"}", "http {\"id\":\"c\"}");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void filesLandInTheHourPartitionOfTheirReceipt() throws Exception {
    c.post("application/json", "{\"id\":1}");

    RawEvent event = c.lakeEvents().get(0);
    String relative = c.lake().resolve("raw").resolve(CollectorFixture.PIPELINE)
        .relativize(c.lakeFiles().get(0)).toString();
    assertThat(relative.startsWith(Partitions.hourly(event.receivedAt()) + "/"), is(true));
    assertThat(relative.matches("dt=\\d{4}-\\d{2}-\\d{2}/hr=\\d{2}/http-[^/]+\\.avro"), is(true));
  }

  @Test
  public void concurrentRequestsShareFiles() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      responses.add(
          c.http.sendAsync(
              HttpRequest.newBuilder(c.events())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + i + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertThat(response.get().statusCode(), is(202));
    }

    assertThat(c.lakeEvents().size(), is(40));
    // 40 requests sent at once, a 300 ms flush interval: a handful of files, not one per request.
    assertThat(c.lakeFiles().size(), lessThanOrEqualTo(8));
  }

  @Test
  public void withDefaultSettingsAClientThatWaitsForEachAnswerIsNotPacedByATimer() throws Exception {
    CollectorConfig defaults =
        CollectorConfig.defaults().with("--port=0", "--lake=" + c.lake().resolve("defaults"));
    try (Collector collector = Collector.start(defaults)) {
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertThat(c.postTo(collector, "application/json", "{\"id\":" + i + "}").statusCode(), is(202));
      }
      long millis = (System.nanoTime() - start) / 1_000_000;

      // A 200 ms commit timer (the old default) would take at least 19 x 200 ms = 3.8 s; each
      // request now waits for one write of its own, a few ms on a quiet disk.
      assertThat(millis, lessThan(3000L));
    }
  }

  @Test
  public void noPartialFileIsLeftBehind() throws Exception {
    c.post("application/json", "{\"id\":1}");
    c.collector.stop();

    try (Stream<java.nio.file.Path> files = Files.walk(c.lake())) {
      assertThat(
          files.filter(p -> p.getFileName().toString().endsWith(".inprogress")).toList(),
          is(empty()));
    }
  }

  @Test
  public void everyAcknowledgedEventIsInTheLakeAfterAGracefulStop() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      responses.add(
          c.http.sendAsync(
              HttpRequest.newBuilder(c.events())
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + i + "}\n{\"id\":" + (i + 1000) + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Thread.sleep(100);
    c.collector.stop();

    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < responses.size(); i++) {
      HttpResponse<String> response;
      try {
        response = responses.get(i).get();
      } catch (Exception refusedAtTheDoor) {
        continue;
      }
      if (response.statusCode() == 202) {
        acknowledged.add("{\"id\":" + i + "}");
        acknowledged.add("{\"id\":" + (i + 1000) + "}");
      }
    }
    assertThat(acknowledged.isEmpty(), is(false));
    List<String> stored = CollectorFixture.payloads(c.lakeEvents());
    assertThat(stored, containsInAnyOrder(acknowledged.toArray()));
  }
}
