package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.mqtt.MqttPublisher;
import railyard.io.mqtt.PrivateMosquitto;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;
import railyard.runners.Runners;

/**
 * The whole job, streaming on the Direct runner (or another, see {@link #RUNNER}), reading the real Mosquitto broker: an event
 * published with {@code mosquitto_pub} is served. An MQTT stream never ends, so the test starts the
 * job without waiting for it ({@code --blockOnRun=false}, Flink: {@code --attachedMode=false}), publishes the event again and again
 * (the job's first session misses anything sent before it subscribed; the copies share an event
 * id, so deduplication keeps one), polls the SQLite serving store until the view's early pane
 * shows the event, then cancels the job.
 */
@RunWith(JUnit4.class)
public class MqttStreamingJobTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static final long TIMEOUT_MILLIS = 120_000;
  /** {@code -Drailyard.jobRunner=FlinkRunner} runs the same job on in-process Flink. */
  private static final String RUNNER = System.getProperty("railyard.jobRunner", "DirectRunner");

  @Test
  public void anEventPublishedToTheBrokerIsServed() throws Exception {
    String root = "railyard-test/" + UUID.randomUUID();
    List<ServingRow> rows =
        servedWhilePublishing(
            MqttPublisher.BROKER,
            root,
            (topic, event) -> MqttPublisher.repeatedly(topic, event, 500));

    assertServedOnce(rows);
  }

  /**
   * A broker that refuses anonymous clients (a second Mosquitto with a password file, on a free
   * loopback port): the spec names no user, {@code --mqttUsername} and {@code --mqttPassword} do.
   */
  @Test
  public void aBrokerWithAPasswordIsReadWithTheCredentialOptions() throws Exception {
    String root = "railyard-test/" + UUID.randomUUID();
    try (PrivateMosquitto broker = PrivateMosquitto.withPassword(folder.getRoot().toPath())) {
      List<ServingRow> rows =
          servedWhilePublishing(
              broker.uri(),
              root,
              (topic, event) -> broker.publishRepeatedly(topic, event, null, 500),
              "--mqttUsername=" + PrivateMosquitto.USER,
              "--mqttPassword=" + PrivateMosquitto.PASSWORD);

      assertServedOnce(rows);
    }
  }

  private interface Publishing {
    AutoCloseable start(String topic, byte[] event) throws Exception;
  }

  /** Runs the job on {@code server} while an event is published, until the view serves it. */
  private List<ServingRow> servedWhilePublishing(
      String server, String root, Publishing publishing, String... extraArgs) throws Exception {
    File spec = new File(folder.newFolder(), "orders.yaml");
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: orders",
            "source:",
            "  type: mqtt",
            "  mqtt: {server: '" + server + "', topics: ['" + root + "/#'],"
                + " clientId: rj-" + UUID.randomUUID().toString().substring(0, 8) + "}",
            FileImportSpecs.ordersSchema("1h"),
            "views:",
            "  - name: sales",
            "    window: {type: fixed, size: 1h}",
            "    groupBy: [shop]",
            "    earlyFiring: 1s",
            "    metrics: [{name: revenue, op: sum, field: total}]",
            ""));
    File out = folder.newFolder();
    File serving = new File(out, "serving.db");
    List<String> argList =
        new java.util.ArrayList<>(
            List.of(
                "--spec=" + spec, "--mode=streaming", "--runner=" + RUNNER,
                "--blockOnRun=false", "--attachedMode=false", // Direct and Flink: run() returns at once
                "--lake=" + new File(out, "lake"), "--warehouse=" + new File(out, "warehouse"),
                "--serving=" + serving));
    argList.addAll(List.of(extraArgs));
    String[] args = argList.toArray(String[]::new);
    RailyardOptions options = PipelineOptionsFactory.fromArgs(args).as(RailyardOptions.class);
    Runners.configure(options, args, true);
    Pipeline pipeline = Pipeline.create(options);
    RailyardJob.of(Railyard.loadSpec(options), options).expandInto(pipeline);

    String event =
        "{\"id\":\"o-1\",\"shop\":\"north\",\"total\":12.5,\"ts\":\"" + java.time.Instant.now() + "\"}";
    PipelineResult result = pipeline.run();
    List<ServingRow> rows = List.of();
    try (AutoCloseable publisher =
        publishing.start(root + "/shops/north", event.getBytes(StandardCharsets.UTF_8))) {
      long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
      while (rows.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(500);
        if (serving.exists()) {
          try (ServingStore store = ServingStore.open(serving.getPath())) {
            rows = store.readMerged("sales");
          }
        }
      }
    } finally {
      result.cancel();
    }
    return rows;
  }

  private static void assertServedOnce(List<ServingRow> rows) {
    assertThat(rows.size(), equalTo(1));
    ServingRow row = rows.get(0);
    assertThat(row.key(), equalTo("north"));
    assertThat(row.eventCount(), equalTo(1L));
    assertThat(row.metrics(), equalTo(Map.of("revenue", 12.5)));
    assertThat(row.layer(), equalTo(ServingRow.Layer.SPEED));
  }
}
