package railyard.spec;

import java.io.Serializable;
import java.util.Objects;
import javax.annotation.Nullable;
import railyard.io.generator.GeneratorConfig;

/**
 * Where a pipeline's events come from. Besides the kind, only the block of that kind is set.
 *
 * @param generator what the built-in generator makes; always set (the defaults when the source is
 *     not the generator), so command-line overrides have something to replace
 * @param path for {@link Kind#FILE}, the files to import (a path or glob); for {@link Kind#LAKE},
 *     the lake root to read raw records from, or none for the pipeline's own {@code outputs.lake};
 *     for {@link Kind#WATCH}, the watched file pattern; none otherwise
 * @param mqtt for {@link Kind#MQTT}, the broker and topic filters
 * @param pubsub for {@link Kind#PUBSUB}, the subscription or topic
 * @param watch for {@link Kind#WATCH}, the watched file pattern and how it is read
 * @param kafka for {@link Kind#KAFKA}, the brokers, topics and group from {@code source.kafka};
 *     none when the spec has no such block (command-line options may then give them)
 */
public record SourceSpec(
    Kind kind,
    GeneratorConfig generator,
    @Nullable String path,
    @Nullable MqttSourceSpec mqtt,
    @Nullable PubsubSourceSpec pubsub,
    @Nullable WatchSourceSpec watch,
    @Nullable KafkaSourceSpec kafka)
    implements Serializable {

  /** The kinds of source a spec may declare. */
  public enum Kind {
    GENERATOR,
    LAKE,
    FILE,
    KAFKA,
    MQTT,
    PUBSUB,
    WATCH
  }

  public SourceSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(generator, "generator");
  }

  public SourceSpec(Kind kind, GeneratorConfig generator, @Nullable String path) {
    this(kind, generator, path, null, null, null, null);
  }

  public static SourceSpec generator(GeneratorConfig config) {
    return new SourceSpec(Kind.GENERATOR, config, null);
  }

  public static SourceSpec kafka(KafkaSourceSpec kafka) {
    return new SourceSpec(Kind.KAFKA, GeneratorConfig.defaults(), null, null, null, null, kafka);
  }

  public static SourceSpec mqtt(MqttSourceSpec mqtt) {
    return new SourceSpec(Kind.MQTT, GeneratorConfig.defaults(), null, mqtt, null, null, null);
  }

  public static SourceSpec pubsub(PubsubSourceSpec pubsub) {
    return new SourceSpec(Kind.PUBSUB, GeneratorConfig.defaults(), null, null, pubsub, null, null);
  }

  public static SourceSpec watch(WatchSourceSpec watch) {
    return new SourceSpec(
        Kind.WATCH, GeneratorConfig.defaults(), watch.path(), null, null, watch, null);
  }

  public SourceSpec withGenerator(GeneratorConfig config) {
    return new SourceSpec(kind, config, path, mqtt, pubsub, watch, kafka);
  }
}
