package railyard.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import railyard.runners.ResumeOptions;

/**
 * The job's options. Everything else comes from the spec; these choose the mode and replace parts
 * of the spec for one run. Runner options ({@code --runner}, {@code --parallelism}, …) are the
 * runners' own.
 */
public interface RailyardOptions extends JobMetricsOptions, ResumeOptions {

  /** Batch computes authoritative results once; streaming computes speculative ones as data comes. */
  enum Mode {
    BATCH,
    STREAMING;

    /** The mode named by {@code --mode}, in any case. */
    public static Mode of(String name) {
      for (Mode mode : values()) {
        if (mode.name().equalsIgnoreCase(name.trim())) {
          return mode;
        }
      }
      throw new IllegalArgumentException("--mode must be batch or streaming, not '" + name + "'");
    }
  }

  @Description("Path of the pipeline spec (YAML), e.g. examples/clickstream.yaml.")
  @Validation.Required
  String getSpec();

  void setSpec(String spec);

  @Description(
      "streaming: source → raw lake + prepare → warehouse + serving rows of layer 'speed'. "
          + "batch: the spec's source read once (the lake for a backfill) → prepare → warehouse + "
          + "serving rows of layer 'batch'.")
  @Default.String("streaming")
  String getMode();

  void setMode(String mode);

  @Description(
      "Read this instead of the spec's source: 'generator'; 'lake' (batch: replays the raw lake "
          + "between --from and --to; streaming: follows the lake from --from, reading each new "
          + "file once, e.g. what the HTTP collector writes); 'file' (batch: imports the spec's "
          + "source.path); 'kafka' (streaming: source.kafka or the --kafka… options); 'mqtt', "
          + "'pubsub' or 'watch' (streaming, with the spec's block of that type).")
  String getSource();

  void setSource(String source);

  @Description("From the lake: first receipt time to read, ISO-8601 (inclusive).")
  String getFrom();

  void setFrom(String from);

  @Description("Batch from the lake: receipt time to stop at, ISO-8601 (exclusive).")
  String getTo();

  void setTo(String to);

  @Description(
      "Streaming from the lake: end the run once no new lake file has appeared for this long, "
          + "e.g. 60s. Default: follow the lake without end.")
  String getStopWhenIdleFor();

  void setStopWhenIdleFor(String idle);

  @Description(
      "Streaming: how often the raw lake, warehouse and dead-letter writes cut their files and"
          + " publish them, in whole seconds, e.g. 10s. Shorter means fresher tables and more,"
          + " smaller files.")
  @Default.String("1m")
  String getPublishFilesEvery();

  void setPublishFilesEvery(String every);

  @Description("Generator: how many events to make (replaces source.generator.events).")
  Long getEvents();

  void setEvents(Long events);

  @Description("Generator: wall-clock events per second in streaming, 0 for as fast as possible.")
  Double getRate();

  void setRate(Double rate);

  @Description("Generator: the random seed (replaces source.generator.seed).")
  Long getSeed();

  void setSeed(Long seed);

  @Description("Kafka: brokers, host:port[,host:port…] (replaces source.kafka.bootstrapServers).")
  String getKafkaBootstrapServers();

  void setKafkaBootstrapServers(String bootstrapServers);

  @Description("Kafka: topics to read, comma-separated (replaces source.kafka.topics).")
  String getKafkaTopics();

  void setKafkaTopics(String topics);

  @Description("Kafka: consumer group (replaces source.kafka.group; default railyard-<name>).")
  String getKafkaGroup();

  void setKafkaGroup(String group);

  @Description("MQTT: user to connect as (replaces source.mqtt.username).")
  String getMqttUsername();

  void setMqttUsername(String username);

  @Description("MQTT: that user's password (replaces source.mqtt.password).")
  String getMqttPassword();

  void setMqttPassword(String password);

  @Description("Lake root (replaces outputs.lake).")
  String getLake();

  void setLake(String lake);

  @Description("Warehouse root (replaces outputs.warehouse).")
  String getWarehouse();

  void setWarehouse(String warehouse);

  @Description("Serving store: a .db file (replaces outputs.serving).")
  String getServing();

  void setServing(String serving);
}
