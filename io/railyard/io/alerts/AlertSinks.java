package railyard.io.alerts;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Where alerts go: any of a webhook, a Kafka topic, the log and the serving store's {@code alerts}
 * table. The same sinks serve the pipeline's rules and the query service's watchdog.
 *
 * @param kafkaBootstrapServers the brokers of {@code kafkaTopic}; both or neither
 * @param store a serving-store location whose {@code alerts} table records every alert; null for
 *     none
 */
public record AlertSinks(
    @Nullable WebhookConfig webhook,
    @Nullable String kafkaBootstrapServers,
    @Nullable String kafkaTopic,
    boolean log,
    @Nullable String store)
    implements Serializable {

  public AlertSinks {
    if ((kafkaBootstrapServers == null) != (kafkaTopic == null)) {
      throw new IllegalArgumentException("a Kafka alert sink needs both bootstrapServers and topic");
    }
  }

  /** Only the log. */
  public static AlertSinks logOnly() {
    return new AlertSinks(null, null, null, true, null);
  }

  public AlertSinks withWebhook(WebhookConfig config) {
    return new AlertSinks(config, kafkaBootstrapServers, kafkaTopic, log, store);
  }

  public AlertSinks withKafka(String bootstrapServers, String topic) {
    return new AlertSinks(webhook, bootstrapServers, topic, log, store);
  }

  public AlertSinks withStore(String location) {
    return new AlertSinks(webhook, kafkaBootstrapServers, kafkaTopic, log, location);
  }

  public AlertSinks withLog(boolean toLog) {
    return new AlertSinks(webhook, kafkaBootstrapServers, kafkaTopic, toLog, store);
  }

  /** Opens a connection to each sink; close them with {@link AlertSink#close()}. */
  public List<AlertSink> open() {
    List<AlertSink> sinks = new ArrayList<>();
    if (store != null) {
      sinks.add(new StoreAlertSink(store));
    }
    if (log) {
      sinks.add(new LogAlertSink());
    }
    if (kafkaTopic != null) {
      sinks.add(new KafkaAlertSink(kafkaBootstrapServers, kafkaTopic));
    }
    if (webhook != null) {
      sinks.add(new WebhookAlertSink(webhook));
    }
    return sinks;
  }
}
