package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.mqtt.MqttPublisher;
import railyard.runners.Runners;

/**
 * Year-old events (accepted by {@code allowedSkew}) published to the real Mosquitto broker while a
 * streaming job on Flink reads it, after its watermark (the clock) has moved far past them, reach
 * the warehouse like any other. MQTT's clean session misses what is sent before the reader
 * subscribed, so each event is published again and again; deduplication keeps one row per id.
 */
@RunWith(JUnit4.class)
public class MqttLateEventsTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static byte[] event(String id, Instant ts) {
    return ("{\"id\":\"" + id + "\",\"shop\":\"north\",\"total\":1.5,\"ts\":\"" + ts + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private RailyardOptions options;

  private PipelineResult start(File spec, File out) {
    String[] args = {
      "--spec=" + spec, "--mode=streaming", "--runner=FlinkRunner", "--attachedMode=false",
      "--checkpointingInterval=1000", "--publishFilesEvery=5s",
      "--lake=" + new File(out, "lake"), "--warehouse=" + new File(out, "warehouse"),
      "--serving=" + new File(out, "serving.db"),
    };
    options = PipelineOptionsFactory.fromArgs(args).as(RailyardOptions.class);
    Runners.configure(options, args, true);
    Pipeline pipeline = Pipeline.create(options);
    RailyardJob.of(Railyard.loadSpec(options), options).expandInto(pipeline);
    return pipeline.run();
  }

  @Test
  public void yearOldEventsPublishedAfterTheWatermarkMovedOnReachTheWarehouse() throws Exception {
    String topic = "railyard-test/" + UUID.randomUUID() + "/orders";
    File spec = folder.newFile("mqtt-late.yaml");
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: mqtt_late",
            "source:",
            "  type: mqtt",
            "  mqtt: {server: '" + MqttPublisher.BROKER + "', topics: ['" + topic + "'],"
                + " clientId: late-" + UUID.randomUUID().toString().substring(0, 8) + "}",
            FileImportSpecs.ordersSchema("400d"),
            ""));
    File out = folder.newFolder("out");
    Path warehouse = out.toPath().resolve("warehouse");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant yearAgo = now.minus(365, ChronoUnit.DAYS);

    PipelineResult job = start(spec, out);
    Future<?> running = CompletableFuture.runAsync(() -> Runners.awaitEnd(job, options));
    try {
      try (MqttPublisher recent = MqttPublisher.repeatedly(topic, event("r1", now), 500)) {
        WhileRunning.await(
            "the recent event's warehouse row", running, () -> OutputFiles.parquetRows(warehouse) == 1);
      }
      try (MqttPublisher old = MqttPublisher.repeatedly(topic, event("o1", yearAgo), 500)) {
        WhileRunning.await(
            "the year-old event's warehouse row", running, () -> OutputFiles.parquetRows(warehouse) == 2);
      }
    } finally {
      job.cancel();
    }
    assertThat(OutputFiles.parquetRows(warehouse), equalTo(2L));
  }
}
