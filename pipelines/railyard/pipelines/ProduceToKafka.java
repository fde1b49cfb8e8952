package railyard.pipelines;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.io.generator.EventGenerator;
import railyard.io.generator.GeneratorConfig;
import railyard.io.kafka.ProduceGeneratedEvents;
import railyard.io.kafka.ReadKafkaEvents;
import railyard.spec.PipelineSpec;

/**
 * The demo's producer: sends {@code --events} generated events for a spec's schema to its Kafka
 * topic (the first of {@code source.kafka.topics}, or of {@code --kafkaTopics}). Receipt times
 * (the record timestamps) end now, at the generator's events per second, so the records are well
 * inside the topic's retention and the streaming job's event-time checks.
 *
 * <pre>
 * java -cp target/railyard.jar railyard.pipelines.ProduceToKafka \
 *   --spec=examples/clickstream-kafka.yaml --events=20000
 * </pre>
 */
public final class ProduceToKafka {
  private ProduceToKafka() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(RailyardOptions.class);
    RailyardOptions options = PipelineOptionsFactory.fromArgs(args).as(RailyardOptions.class);
    PipelineSpec spec = Railyard.loadSpec(options);
    ReadKafkaEvents kafka = KafkaSourceFromSpec.read(spec, options);
    GeneratorConfig c = spec.source().generator();
    long span = (long) Math.ceil(c.events() * 1000.0 / c.eventsPerSecond());
    Instant start = Instant.now().minus(Duration.millis(span));
    EventGenerator generator =
        new EventGenerator(
            new GeneratorConfig(
                c.seed(), c.events(), c.eventsPerSecond(), c.rate(), start, c.duplicateShare(),
                c.malformedShare(), c.lateShare(), c.maxOutOfOrder(), c.maxLateness()),
            spec.schema(),
            spec.dedupe().key(),
            spec.eventTime().field());
    String topic = kafka.getTopics().get(0);
    ProduceGeneratedEvents.produce(generator, 0, c.events(), kafka.getBootstrapServers(), topic);
    System.out.println(
        "produced " + c.events() + " events to " + topic + " at " + kafka.getBootstrapServers()
            + ", record timestamps from " + start + " to now");
  }
}
