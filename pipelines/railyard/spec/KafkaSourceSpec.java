package railyard.spec;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * A spec's {@code source.kafka} block: where to read.
 *
 * @param bootstrapServers comma-separated {@code host:port} pairs
 * @param topics one or more topics, all partitions read
 * @param group the consumer group whose committed offsets say where to resume; none for the
 *     default {@code railyard-<pipeline name>}
 */
public record KafkaSourceSpec(String bootstrapServers, List<String> topics, @Nullable String group)
    implements Serializable {

  public KafkaSourceSpec {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    topics = List.copyOf(topics);
  }

  /** The group to use for pipeline {@code pipelineName}: the spec's, or {@code railyard-<name>}. */
  public String groupFor(String pipelineName) {
    return group == null ? "railyard-" + pipelineName : group;
  }
}
