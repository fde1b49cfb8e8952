package railyard.spec;

import java.io.Serializable;
import java.util.Objects;
import javax.annotation.Nullable;
import railyard.io.generator.GeneratorConfig;

/**
 * Where a pipeline's events come from.
 *
 * @param generator what the built-in generator makes; always set (the defaults when the source is
 *     not the generator), so command-line overrides have something to replace
 * @param path for {@link Kind#FILE}, the files to import (a path or glob); for {@link Kind#LAKE},
 *     the lake root to read raw records from, or none for the pipeline's own {@code outputs.lake};
 *     none for {@link Kind#GENERATOR}
 * @param mqtt for {@link Kind#MQTT}, the broker and topic filters
 * @param pubsub for {@link Kind#PUBSUB}, the subscription or topic
 * @param watch for {@link Kind#WATCH}, the watched file pattern
 */
public record SourceSpec(
    Kind kind,
    GeneratorConfig generator,
    @Nullable String path,
    @Nullable MqttSourceSpec mqtt,
    @Nullable PubsubSourceSpec pubsub,
    @Nullable WatchSourceSpec watch)
    implements Serializable {

  /** The kinds of source a spec may declare. */
  public enum Kind {
    GENERATOR,
    LAKE,
    FILE,
    MQTT,
    PUBSUB,
    WATCH
  }

  public SourceSpec(Kind kind, GeneratorConfig generator, @Nullable String path) {
    this(kind, generator, path, null, null, null);
  }

  public SourceSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(generator, "generator");
  }

  public static SourceSpec generator(GeneratorConfig config) {
    return new SourceSpec(Kind.GENERATOR, config, null);
  }

  public SourceSpec withGenerator(GeneratorConfig config) {
    return new SourceSpec(kind, config, path, mqtt, pubsub, watch);
  }
}
