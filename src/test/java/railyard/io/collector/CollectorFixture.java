package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;
import railyard.io.lake.LakeRecords;
import railyard.model.RawEvent;

/** A collector on 127.0.0.1 (any free port) writing to a lake in a temporary folder. */
class CollectorFixture extends ExternalResource {
  static final String PIPELINE = "web";

  final TemporaryFolder tmp = new TemporaryFolder();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String[] flags;
  Collector collector;

  CollectorFixture(String... flags) {
    this.flags = flags;
  }

  @Override
  protected void before() throws Throwable {
    tmp.create();
    collector = Collector.start(config(flags));
  }

  @Override
  protected void after() {
    try {
      collector.stop();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
    tmp.delete();
  }

  CollectorConfig config(String... more) {
    return CollectorConfig.defaults()
        .with("--port=0", "--lake=" + lake(), "--pipeline=" + PIPELINE, "--flushMillis=20")
        .with(more);
  }

  Path lake() {
    return tmp.getRoot().toPath().resolve("lake");
  }

  URI events() {
    return collector.uri().resolve(CollectorHandler.EVENTS_PATH);
  }

  HttpResponse<String> post(String contentType, String body, String... headers)
      throws IOException, InterruptedException {
    return post(contentType, HttpRequest.BodyPublishers.ofString(body), headers);
  }

  HttpResponse<String> post(
      String contentType, HttpRequest.BodyPublisher body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(events()).POST(body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts {@code body} to another collector than the fixture's own, e.g. one with a broker sink. */
  HttpResponse<String> postTo(Collector target, String contentType, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.uri().resolve(CollectorHandler.EVENTS_PATH))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts one JSON event every 300 ms until {@code target} answers {@code status}, or fails. */
  HttpResponse<String> untilStatus(Collector target, int status, String event, int seconds)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      HttpResponse<String> response = postTo(target, "application/json", event);
      if (response.statusCode() == status || System.nanoTime() > deadline) {
        assertThat(response.body(), response.statusCode(), is(status));
        return response;
      }
      Thread.sleep(300);
    }
  }

  /** {@code GET /health}'s status on {@code target}. */
  int healthOf(Collector target) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(target.uri().resolve(CollectorHandler.HEALTH_PATH)).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /** Every event in the lake's committed files, read with the lake's own record mapping. */
  List<RawEvent> lakeEvents() throws IOException {
    List<RawEvent> events = new ArrayList<>();
    for (Path file : lakeFiles()) {
      try (DataFileReader<GenericRecord> reader =
          new DataFileReader<>(file.toFile(), new GenericDatumReader<>(LakeRecords.SCHEMA))) {
        reader.forEach(record -> events.add(LakeRecords.fromAvro(record)));
      }
    }
    return events;
  }

  List<Path> lakeFiles() throws IOException {
    Path raw = lake().resolve("raw").resolve(PIPELINE);
    if (!Files.exists(raw)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(raw)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList();
    }
  }

  static List<String> payloads(List<RawEvent> events) {
    return events.stream().map(e -> new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8)).toList();
  }

  File newFile(String name) throws IOException {
    return tmp.newFile(name);
  }
}
