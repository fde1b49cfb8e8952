package railyard.bench;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.io.generator.EventGenerator;
import railyard.io.generator.GeneratorConfig;
import railyard.io.kafka.ProduceGeneratedEvents;
import railyard.io.kafka.ReadKafkaEvents;
import railyard.pipelines.Railyard;
import railyard.runners.FlinkLiveMetrics;
import railyard.runners.Runners;
import railyard.spec.PipelineSpec;
import railyard.transforms.RailyardMetrics;

/**
 * One measured streaming run on in-process Flink that reads a pre-filled Kafka topic on a real
 * broker. Before the timer: a topic of its own (two partitions) is created and filled with the
 * spec's {@code --events} generated events, receipt times three hours ago so that the source's
 * watermark passes every window (sessions too) once it has caught up. Timed: the bench pipeline
 * (parse → … → serving rows, counted) reading it with the job's own {@link ReadKafkaEvents}.
 *
 * <p>A Kafka read never ends by itself, and bounding it ({@code withMaxNumRecords}) would make the
 * collection bounded, which turns the views into their batch plan. So the run ends when the job
 * has received every record and its counters have stood still for {@link #QUIET}: the timer is
 * stopped at their last change, the job is cancelled, and the topic and its group are deleted.
 */
public final class KafkaStreamRun {
  private static final long QUIET = TimeUnit.SECONDS.toNanos(5);
  private static final long TIMEOUT = TimeUnit.MINUTES.toNanos(30);

  private KafkaStreamRun() {}

  public static void main(String[] args) throws Exception {
    Measurement measurement = Measurement.begin();
    PipelineOptionsFactory.register(BenchOptions.class);
    BenchOptions options = PipelineOptionsFactory.fromArgs(args).as(BenchOptions.class);
    PipelineSpec spec = Railyard.loadSpec(options);
    String servers =
        options.getKafkaBootstrapServers() == null ? "127.0.0.1:9092" : options.getKafkaBootstrapServers();
    long events = spec.source().generator().events();
    String topic = "railyard-bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
      try {
        awaitLeaders(admin, topic);
        ProduceGeneratedEvents.produce(generator(spec), 0, events, servers, topic);
        long received = run(options, args, spec, servers, topic, events, measurement);
        measurement
            .put("case", options.getCase())
            .put("runner", "FlinkRunner")
            .put("mode", "streaming")
            .put("input", "kafka");
        System.out.println(measurement.resultLine(received));
      } finally {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        try {
          admin.deleteConsumerGroups(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof GroupIdNotFoundException)) { // no offsets were committed
            System.err.println("could not delete the consumer group " + topic + ": " + e);
          }
        }
      }
    }
    System.exit(0);
  }

  private static long run(
      BenchOptions options,
      String[] args,
      PipelineSpec spec,
      String servers,
      String topic,
      long events,
      Measurement measurement)
      throws InterruptedException {
    Runners.configure(options, args, true);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setAttachedMode(false);
    FlinkLiveMetrics.attach(flink);
    Pipeline pipeline = Pipeline.create(options);
    BenchPipeline.expandFrom(
        pipeline.apply(
            "ReadKafka",
            ReadKafkaEvents.read()
                .withBootstrapServers(servers)
                .withTopics(List.of(topic))
                .withGroupId(topic)),
        spec,
        true);

    measurement.startTimer();
    PipelineResult result = pipeline.run();
    long started = System.nanoTime();
    long lastChange = started;
    long received = -1;
    long servingRows = -1;
    long unique = 0;
    long duplicates = 0;
    while (true) {
      Thread.sleep(200);
      MetricResults live = FlinkLiveMetrics.of(flink);
      long r = counter(live, RailyardMetrics.NAMESPACE, RailyardMetrics.RECEIVED);
      long rows = counter(live, BenchPipeline.NAMESPACE, BenchPipeline.SERVING_ROWS);
      long now = System.nanoTime();
      if (r != received || rows != servingRows) {
        received = r;
        servingRows = rows;
        unique = counter(live, RailyardMetrics.NAMESPACE, RailyardMetrics.UNIQUE);
        duplicates = counter(live, RailyardMetrics.NAMESPACE, RailyardMetrics.DUPLICATES);
        measurement.stopTimer();
        lastChange = now;
      } else if (received >= events && now - lastChange > QUIET) {
        break;
      }
      if (now - started > TIMEOUT) {
        throw new IllegalStateException(
            "received " + received + " of " + events + " events from " + topic + " in 30 minutes");
      }
    }
    try {
      result.cancel();
    } catch (Exception e) {
      System.err.println("cancelling the job: " + e);
    }
    measurement
        .put("servingRows", servingRows)
        .put("duplicates", duplicates)
        .put("unique", unique);
    return received;
  }

  /** The spec's generator, its receipt times ending three hours ago on a whole minute. */
  private static EventGenerator generator(PipelineSpec spec) {
    GeneratorConfig c = spec.source().generator();
    long span = (long) Math.ceil(c.events() * 1000.0 / c.eventsPerSecond());
    long end = Instant.now().minus(Duration.standardHours(3)).getMillis() / 60_000 * 60_000;
    GeneratorConfig shifted =
        new GeneratorConfig(
            c.seed(), c.events(), c.eventsPerSecond(), c.rate(), new Instant(end - span),
            c.duplicateShare(), c.malformedShare(), c.lateShare(), c.maxOutOfOrder(),
            c.maxLateness());
    return new EventGenerator(shifted, spec.schema(), spec.dedupe().key(), spec.eventTime().field());
  }

  private static void awaitLeaders(Admin admin, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        boolean led =
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (led) {
          return;
        }
      } catch (ExecutionException notKnownYet) {
        // the topic's metadata has not reached the broker we asked yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(topic + " still has a partition without a leader after 30 s");
      }
      Thread.sleep(50);
    }
  }

  /** A counter summed over steps; the live results take no filter, so names are matched here. */
  private static long counter(MetricResults metrics, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> c : metrics.allMetrics().getCounters()) {
      if (c.getName().getNamespace().equals(namespace) && c.getName().getName().equals(name)) {
        total += c.getAttempted();
      }
    }
    return total;
  }
}
