package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.google.api.client.util.Clock;
import com.google.protobuf.ByteString;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient.IncomingMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubTestClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubTestClient.PubsubTestClientFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.pubsub.ReadPubsubEvents;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;

/**
 * Year-old events (accepted by {@code allowedSkew}) read from Pub/Sub by a streaming job, whose
 * watermark follows publish times (now), reach the warehouse like the recent ones. Pub/Sub is
 * Beam's in-process {@link PubsubTestClient} (no emulator runs here): the whole PubsubIO read and
 * the whole job after it are real.
 */
@RunWith(JUnit4.class)
public class PubsubLateEventsTest {
  private static final String SUBSCRIPTION = "projects/railyard-test/subscriptions/orders";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static IncomingMessage order(String id, Instant ts, long publishedAt) {
    String json = "{\"id\":\"" + id + "\",\"shop\":\"north\",\"total\":1.5,\"ts\":\"" + ts + "\"}";
    return IncomingMessage.of(
        com.google.pubsub.v1.PubsubMessage.newBuilder()
            .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
            .setMessageId("m-" + id)
            .build(),
        publishedAt,
        0,
        "ack-" + id,
        "m-" + id);
  }

  @Test
  public void yearOldEventsBehindTheWatermarkReachTheWarehouse() throws Exception {
    Path out = folder.newFolder("out").toPath();
    Path specFile = folder.getRoot().toPath().resolve("orders.yaml");
    Files.writeString(
        specFile,
        String.join(
            "\n",
            "name: pubsub_late",
            "source:",
            "  type: pubsub",
            "  pubsub: {subscription: \"" + SUBSCRIPTION + "\"}",
            FileImportSpecs.ordersSchema("400d"),
            "outputs:",
            "  lake: " + out.resolve("lake"),
            "  warehouse: " + out.resolve("warehouse"),
            "  serving: " + out.resolve("serving.db"),
            ""));
    PipelineSpec spec = SpecLoader.load(specFile);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant yearAgo = now.minus(365, ChronoUnit.DAYS);
    long published = now.toEpochMilli();
    Clock clock = (Clock & Serializable) () -> published;
    PubsubTestClientFactory pubsub =
        PubsubTestClient.createFactoryForPull(
            clock,
            PubsubClient.subscriptionPathFromPath(SUBSCRIPTION),
            60,
            List.of(
                order("r1", now, published),
                order("r2", now, published),
                order("o1", yearAgo, published + 1),
                order("o2", yearAgo.plusSeconds(60), published + 1)));

    RailyardOptions options =
        PipelineOptionsFactory.fromArgs(
                "--mode=streaming", "--runner=DirectRunner", "--publishFilesEvery=5s")
            .as(RailyardOptions.class);
    options.as(PubsubOptions.class).setProject("railyard-test"); // never looked up
    Pipeline pipeline = Pipeline.create(options);
    RailyardJob.of(spec, options)
        .process(
            pipeline.apply(
                ReadPubsubEvents.create()
                    .withSubscription(SUBSCRIPTION)
                    .withClientFactory(pubsub)
                    .withTestClock(clock)));
    pipeline.run().waitUntilFinish(org.joda.time.Duration.standardMinutes(3));
    pubsub.close();

    assertThat(OutputFiles.parquetRows(out.resolve("warehouse")), equalTo(4L));
  }
}
