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
      case "pubsub" -> new PubsubSink(
          config.pubsubTopic(),
          config.pubsubEmulator(),
          config.sinkTimeoutMillis(),
          config.retryAfterSeconds() * 1000L);
      default -> throw new IllegalArgumentException(
          "--sink must be lake, kafka, mqtt or pubsub; was " + config.sink());
    };
  }
}
