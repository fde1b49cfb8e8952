package railyard.io.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.io.generator.EventGenerator;
import railyard.io.generator.GeneratorConfig;
import railyard.pipelines.Railyard;
import railyard.pipelines.RailyardJob;
import railyard.pipelines.RailyardOptions;
import railyard.runners.Runners;
import railyard.spec.PipelineSpec;

/**
 * The whole Railyard job in streaming mode on in-process Flink, reading a test topic, and the
 * generated events the tests produce to it. The job never ends by itself (Kafka has no end of
 * stream), so it runs detached and the test cancels it.
 */
final class KafkaJobRun {
  static final String VIEW = "by_country_1m";

  private static final String SPEC =
      """
      name: kafka_e2e
      source:
        type: kafka
        kafka: {bootstrapServers: "%s", topics: [%s], group: %s}
      schema:
        table: kafka_e2e_events
        fields:
          - {name: event_id, type: string, required: true}
          - {name: user_id, type: string, required: true, generate: {cardinality: 40, skew: 1.0, prefix: "u"}}
          - {name: country, type: string, required: true, allowed: [US, FR, DE, JP], generate: {skew: 1.0}}
          - {name: amount, type: double, min: 0, max: 1000, generate: {mean: 30}}
          - {name: ts, type: timestamp, required: true}
      eventTime: {field: ts, allowedSkew: 1h}
      dedupe: {key: event_id, horizon: 10m}
      allowedLateness: 30m
      views:
        - name: by_country_1m
          window: {type: fixed, size: 1m}
          groupBy: [country]
          metrics:
            - {name: events, op: count}
          earlyFiring: 1s
      """;

  private KafkaJobRun() {}

  /** Writes the test spec for {@code topic} and {@code group} into {@code folder}. */
  static Path spec(Path folder, String topic, String group) throws Exception {
    return spec(folder, topic, group, "");
  }

  /** The test spec with {@code more} (top-level YAML, e.g. an {@code alerts:} block) appended. */
  static Path spec(Path folder, String topic, String group, String more) throws Exception {
    Path spec = folder.resolve("kafka-e2e.yaml");
    Files.writeString(spec, String.format(SPEC, KafkaBroker.BOOTSTRAP, topic, group) + more);
    return spec;
  }

  /**
   * Generated events with receipt times (the record timestamps) three hours ago: inside the topic's
   * retention, and old enough that the source's watermark passes all of them as soon as it has
   * caught up, so every window closes without waiting for the clock. Duplicates (resends of the
   * same bytes) and late events, but no malformed ones: the tests count exact outputs without a
   * model of the parser.
   */
  static EventGenerator generator(PipelineSpec spec, long events) {
    return generator(spec, events, 7);
  }

  /** As {@link #generator(PipelineSpec, long)}, with another seed: other event ids. */
  static EventGenerator generator(PipelineSpec spec, long events, long seed) {
    return generator(spec, events, seed, 0.0);
  }

  /** As {@link #generator(PipelineSpec, long, long)}, with this share of malformed events. */
  static EventGenerator generator(
      PipelineSpec spec, long events, long seed, double malformedShare) {
    long threeHoursAgo = Instant.now().minus(Duration.standardHours(3)).getMillis();
    Instant start = new Instant(threeHoursAgo / 60_000 * 60_000);
    GeneratorConfig config =
        new GeneratorConfig(
            seed, events, 10, 0, start, 0.03, malformedShare, 0.03, Duration.standardSeconds(5),
            Duration.standardMinutes(1));
    return new EventGenerator(config, spec.schema(), spec.dedupe().key(), spec.eventTime().field());
  }

  /**
   * Events received 20 to 30 seconds from now (100 a second, minus a few late ones): a job that
   * has caught up keeps them in open windows until the clock passes their minute (its watermark
   * trails the clock by 10 s), so a job stopped within its first 30 seconds stops mid-stream, and
   * a test waits at most about 100 s for every window to close.
   */
  static EventGenerator live(PipelineSpec spec, long events, long seed) {
    Instant start = Instant.now().plus(Duration.standardSeconds(20));
    GeneratorConfig config =
        new GeneratorConfig(
            seed, events, 100, 0, start, 0.03, 0.0, 0.03, Duration.standardSeconds(5),
            Duration.standardSeconds(30));
    return new EventGenerator(config, spec.schema(), spec.dedupe().key(), spec.eventTime().field());
  }

  /**
   * Starts the job, detached: Flink runs it in this process until {@link PipelineResult#cancel}.
   * Checkpoints every second and publishes files every five unless {@code extra} says otherwise.
   */
  static PipelineResult start(Path spec, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec=" + spec,
                "--mode=streaming",
                "--runner=FlinkRunner",
                "--parallelism=2",
                "--attachedMode=false",
                "--lake=" + out.resolve("lake"),
                "--warehouse=" + out.resolve("warehouse"),
                "--serving=" + out.resolve("serving.db")));
    args.addAll(List.of(extra));
    if (args.stream().noneMatch(arg -> arg.startsWith("--checkpointingInterval="))) {
      args.add("--checkpointingInterval=1000");
    }
    if (args.stream().noneMatch(arg -> arg.startsWith("--publishFilesEvery="))) {
      args.add("--publishFilesEvery=5s");
    }
    String[] array = args.toArray(String[]::new);
    PipelineOptionsFactory.register(RailyardOptions.class);
    RailyardOptions options = PipelineOptionsFactory.fromArgs(array).as(RailyardOptions.class);
    PipelineSpec loaded = Railyard.loadSpec(options);
    Runners.configure(options, array, true);
    Pipeline pipeline = Pipeline.create(options);
    RailyardJob.of(loaded, options).expandInto(pipeline);
    return pipeline.run();
  }

  /** Polls {@code done} every half second until it holds or {@code timeout} passes. */
  static boolean await(Duration timeout, Check done) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.getMillis();
    while (System.currentTimeMillis() < deadline) {
      if (done.holds()) {
        return true;
      }
      Thread.sleep(500);
    }
    return done.holds();
  }

  interface Check {
    boolean holds() throws Exception;
  }
}
