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
 * @param kafka for {@link Kind#KAFKA}, the brokers, topics and group from {@code source.kafka};
 *     none when the spec has no such block (command-line options may then give them)
 */
public record SourceSpec(
    Kind kind, GeneratorConfig generator, @Nullable String path, @Nullable KafkaSourceSpec kafka)
    implements Serializable {

  /** The kinds of source a spec may declare. */
  public enum Kind {
    GENERATOR,
    LAKE,
    FILE,
    KAFKA
  }

  public SourceSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(generator, "generator");
  }

  public SourceSpec(Kind kind, GeneratorConfig generator, @Nullable String path) {
    this(kind, generator, path, null);
  }

  public static SourceSpec kafka(KafkaSourceSpec kafka) {
    return new SourceSpec(Kind.KAFKA, GeneratorConfig.defaults(), null, kafka);
  }

  public static SourceSpec generator(GeneratorConfig config) {
    return new SourceSpec(Kind.GENERATOR, config, null);
  }

  public SourceSpec withGenerator(GeneratorConfig config) {
    return new SourceSpec(kind, config, path, kafka);
  }
}
