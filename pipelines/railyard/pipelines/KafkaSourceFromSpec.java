package railyard.pipelines;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;
import railyard.io.kafka.ReadKafkaEvents;
import railyard.spec.KafkaSourceSpec;
import railyard.spec.PipelineSpec;

/** The Kafka source a spec's {@code source.kafka} declares, with the {@code --kafka…} options applied. */
final class KafkaSourceFromSpec {
  private KafkaSourceFromSpec() {}

  static ReadKafkaEvents read(PipelineSpec spec, RailyardOptions options) {
    @Nullable KafkaSourceSpec kafka = spec.source().kafka();
    String servers =
        options.getKafkaBootstrapServers() != null
            ? options.getKafkaBootstrapServers()
            : kafka == null ? null : kafka.bootstrapServers();
    List<String> topics =
        options.getKafkaTopics() != null
            ? Arrays.stream(options.getKafkaTopics().split(","))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .toList()
            : kafka == null ? List.of() : kafka.topics();
    String group =
        options.getKafkaGroup() != null
            ? options.getKafkaGroup()
            : kafka == null ? "railyard-" + spec.name() : kafka.groupFor(spec.name());
    checkArgument(
        servers != null && !servers.isBlank(),
        "a Kafka source needs brokers: set source.kafka.bootstrapServers in the spec or give"
            + " --kafkaBootstrapServers=host:port");
    checkArgument(
        !topics.isEmpty(),
        "a Kafka source needs topics: set source.kafka.topics in the spec or give --kafkaTopics=a,b");
    return ReadKafkaEvents.read().withBootstrapServers(servers).withTopics(topics).withGroupId(group);
  }
}
