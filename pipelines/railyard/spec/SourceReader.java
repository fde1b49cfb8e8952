package railyard.spec;

import java.util.List;
import railyard.io.generator.GeneratorConfig;

/**
 * Reads a spec's {@code source:} block; generator keys left out keep {@link
 * GeneratorConfig#defaults()}.
 */
final class SourceReader {

  private static final List<String> SOURCE_KEYS =
      List.of(
          "type",
          "path",
          "generator",
          "mqtt",
          "pubsub",
          "pollInterval",
          "format",
          "stopWhenIdleFor");
  /** The keys only some kinds of source take. */
  private static final List<String> KIND_KEYS =
      List.of("path", "generator", "mqtt", "pubsub", "pollInterval", "format", "stopWhenIdleFor");
  private static final List<String> GENERATOR_KEYS =
      List.of(
          "seed",
          "events",
          "eventsPerSecond",
          "rate",
          "start",
          "duplicates",
          "malformed",
          "late",
          "maxOutOfOrder",
          "maxLateness");

  private SourceReader() {}

  static SourceSpec read(SpecNode node) {
    node.mapping(SOURCE_KEYS);
    SourceSpec.Kind kind = node.require("type").enumValue(SourceSpec.Kind.class);
    SpecNode path = node.get("path");
    SpecNode generator = node.get("generator");
    switch (kind) {
      case GENERATOR:
        onlyKeys(node, "generator", "generator", "path");
        if (path.isPresent()) {
          throw path.fail("does not apply to a generator source");
        }
        return SourceSpec.generator(
            generator.or(SourceReader::generator, GeneratorConfig.defaults()));
      case FILE:
        onlyKeys(node, "file", "path", "generator");
        notGenerator(generator, "file");
        return new SourceSpec(kind, GeneratorConfig.defaults(), node.require("path").location());
      case MQTT:
        onlyKeys(node, "mqtt", "mqtt");
        return new SourceSpec(
            kind, GeneratorConfig.defaults(), null, MqttSourceSpec.read(node.require("mqtt")), null, null);
      case PUBSUB:
        onlyKeys(node, "pubsub", "pubsub");
        return new SourceSpec(
            kind, GeneratorConfig.defaults(), null, null, PubsubSourceSpec.read(node.require("pubsub")), null);
      case WATCH:
        onlyKeys(node, "watch", "path", "pollInterval", "format", "stopWhenIdleFor");
        WatchSourceSpec watch = WatchSourceSpec.read(node);
        return new SourceSpec(kind, GeneratorConfig.defaults(), watch.path(), null, null, watch);
      default:
        onlyKeys(node, "lake", "path", "generator");
        notGenerator(generator, "lake");
        return new SourceSpec(kind, GeneratorConfig.defaults(), path.orNull(SpecNode::location));
    }
  }

  /** Fails on a key of another kind of source: {@code type} takes only {@code keys}. */
  private static void onlyKeys(SpecNode node, String type, String... keys) {
    for (String key : KIND_KEYS) {
      if (node.get(key).isPresent() && !List.of(keys).contains(key)) {
        throw node.get(key).fail("does not apply when source.type is " + type);
      }
    }
  }

  private static void notGenerator(SpecNode generator, String type) {
    if (generator.isPresent()) {
      throw generator.fail("only applies when source.type is generator, not " + type);
    }
  }

  private static GeneratorConfig generator(SpecNode node) {
    node.mapping(GENERATOR_KEYS);
    GeneratorConfig d = GeneratorConfig.defaults();
    long events = node.get("events").or(SpecNode::longValue, d.events());
    if (events < 0) {
      throw node.get("events").fail("must be 0 or more (0 runs without end in streaming)");
    }
    double eventsPerSecond = node.get("eventsPerSecond").or(SpecNode::number, d.eventsPerSecond());
    if (!(eventsPerSecond > 0)) {
      throw node.get("eventsPerSecond").fail("must be more than 0, got " + eventsPerSecond);
    }
    double rate = node.get("rate").or(SpecNode::number, d.rate());
    if (rate < 0) {
      throw node.get("rate").fail("must be 0 (as fast as possible) or more, got " + rate);
    }
    double duplicates = share(node.get("duplicates"), d.duplicateShare());
    double malformed = share(node.get("malformed"), d.malformedShare());
    double late = share(node.get("late"), d.lateShare());
    if (duplicates + malformed + late > 1.0) {
      throw node.fail("duplicates + malformed + late add up to more than 1");
    }
    return new GeneratorConfig(
        node.get("seed").or(SpecNode::longValue, d.seed()),
        events,
        eventsPerSecond,
        rate,
        node.get("start").or(SpecNode::instant, d.start()),
        duplicates,
        malformed,
        late,
        node.get("maxOutOfOrder").or(SpecNode::duration, d.maxOutOfOrder()),
        node.get("maxLateness").or(SpecNode::duration, d.maxLateness()));
  }

  private static double share(SpecNode node, double fallback) {
    double share = node.or(SpecNode::number, fallback);
    if (share < 0 || share > 1) {
      throw node.fail("a share must be between 0 and 1, got " + share);
    }
    return share;
  }
}
