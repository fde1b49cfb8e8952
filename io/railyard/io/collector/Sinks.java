package railyard.io.collector;

import java.nio.file.Path;

/** The sink a configuration names. */
final class Sinks {
  private Sinks() {}

  static EventSink open(CollectorConfig config) {
    return switch (config.sink()) {
      case "lake" -> new LakeSink(Path.of(config.lake()), config.pipeline(), config.flushMillis());
      case "kafka" -> new KafkaSink(config.kafkaBootstrap(), config.topic(), config.sinkTimeoutMillis());
      case "mqtt" -> new MqttSink(config.mqttBroker(), config.mqttTopic(), config.sinkTimeoutMillis());
      case "pubsub" -> throw new IllegalArgumentException(
          "--sink=pubsub is not available yet: use lake, kafka or mqtt");
      default -> throw new IllegalArgumentException(
          "--sink must be lake, kafka or mqtt; was " + config.sink());
    };
  }
}
