package railyard.pipelines;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.io.alerts.DeliverAlerts;
import railyard.io.bigquery.BigQueryLocation;
import railyard.io.bigquery.BigQueryServingWrite;
import railyard.io.bigquery.BigQueryWarehouseWrite;
import railyard.io.catalog.RecordInCatalog;
import railyard.io.deadletter.DeadLetterWrite;
import railyard.io.filedrop.WatchEventFiles;
import railyard.io.fileimport.ImportEventFiles;
import railyard.io.fileimport.LandImportedEvents;
import railyard.io.generator.GenerateEvents;
import railyard.io.lake.RawLakeRead;
import railyard.io.kafka.LandKafkaEvents;
import railyard.io.lake.RawLakeWrite;
import railyard.io.mqtt.MqttTlsCheck;
import railyard.io.mqtt.ReadMqttEvents;
import railyard.io.pubsub.ReadPubsubEvents;
import railyard.io.serving.WriteServing;
import railyard.io.warehouse.CountWarehouseRows;
import railyard.io.warehouse.WarehouseWrite;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;
import railyard.model.ServingRow;
import railyard.pipelines.RailyardOptions.Mode;
import railyard.schema.ViewSpec;
import railyard.runners.Runners;
import railyard.spec.Durations;
import railyard.spec.MqttSourceSpec;
import railyard.spec.PipelineSpec;
import railyard.spec.PubsubSourceSpec;
import railyard.spec.SourceSpec;
import railyard.spec.WatchSourceSpec;
import railyard.transforms.ComputeViews;
import railyard.transforms.EvaluateAlerts;
import railyard.transforms.HealthDerived;
import railyard.transforms.HealthMarks;
import railyard.transforms.HealthView;
import railyard.transforms.KeepWindowsSeenWhole;
import railyard.transforms.PrepareEvents;
import railyard.transforms.WithDeadLetters;

/**
 * The whole flow for one spec, in either mode: source → raw lake → prepare → warehouse, dead
 * letters and serving rows. The same transforms run in batch and streaming; only the source's
 * boundedness and the serving layer differ.
 */
public final class RailyardJob {
  private static final Set<SourceSpec.Kind> STREAMING_SOURCES =
      EnumSet.of(
          SourceSpec.Kind.GENERATOR,
          SourceSpec.Kind.LAKE,
          SourceSpec.Kind.KAFKA,
          SourceSpec.Kind.MQTT,
          SourceSpec.Kind.PUBSUB,
          SourceSpec.Kind.WATCH);

  private static final Set<SourceSpec.Kind> STREAMING_ONLY =
      EnumSet.of(SourceSpec.Kind.KAFKA, SourceSpec.Kind.MQTT, SourceSpec.Kind.PUBSUB);

  private final PipelineSpec spec;
  private final Mode mode;
  private final SourceSpec.Kind source;
  private final @Nullable Instant from;
  private final @Nullable Instant to;
  private final @Nullable Duration stopWhenIdleFor;
  private final Duration filesEvery;

  /** How often a streaming job lists the lake it follows. */
  static final Duration LAKE_POLL_INTERVAL = Duration.standardSeconds(2);

  private RailyardJob(
      PipelineSpec spec,
      Mode mode,
      SourceSpec.Kind source,
      @Nullable Instant from,
      @Nullable Instant to,
      @Nullable Duration stopWhenIdleFor,
      Duration filesEvery) {
    this.spec = spec;
    this.mode = mode;
    this.source = source;
    this.from = from;
    this.to = to;
    this.stopWhenIdleFor = stopWhenIdleFor;
    this.filesEvery = filesEvery;
  }

  public static RailyardJob of(PipelineSpec spec, RailyardOptions options) {
    SourceSpec.Kind source =
        options.getSource() == null
            ? spec.source().kind()
            : SourceSpec.Kind.valueOf(options.getSource().trim().toUpperCase(java.util.Locale.ROOT));
    Mode mode = Mode.of(options.getMode());
    checkArgument(
        mode == Mode.BATCH || STREAMING_SOURCES.contains(source),
        "streaming mode reads the generator, the lake (followed), Kafka, MQTT, Pub/Sub or a"
            + " watched folder; import files with --mode=batch");
    checkArgument(
        mode == Mode.BATCH || Runners.runsStreamingTimers(options.getRunner()),
        "Spark's streaming runner has no timers, which a stream's views fire their panes by:"
            + " stream on Flink (--runner=FlinkRunner), or run Spark with --mode=batch");
    checkArgument(
        mode == Mode.STREAMING || !STREAMING_ONLY.contains(source),
        "%s is a streaming source: run it with --mode=streaming; to process again what it"
            + " delivered, replay the raw lake: --mode=batch --source=lake --from=… --to=…",
        source == SourceSpec.Kind.PUBSUB ? "Pub/Sub" : source == SourceSpec.Kind.MQTT ? "MQTT" : "Kafka");
    checkArgument(
        (source != SourceSpec.Kind.MQTT || spec.source().mqtt() != null)
            && (source != SourceSpec.Kind.PUBSUB || spec.source().pubsub() != null)
            && (source != SourceSpec.Kind.WATCH || spec.source().watch() != null),
        "--source=%s needs the spec's source to be of that type (source.type: %s and its keys)",
        source.name().toLowerCase(java.util.Locale.ROOT),
        source.name().toLowerCase(java.util.Locale.ROOT));
    if (source == SourceSpec.Kind.KAFKA) {
      KafkaSourceFromSpec.read(spec, options); // fails now if brokers or topics are missing
    }
    checkArgument(
        source != SourceSpec.Kind.FILE || spec.source().path() != null,
        "a file import needs source.path in the spec");
    if (source == SourceSpec.Kind.LAKE && mode == Mode.BATCH) {
      checkArgument(
          options.getFrom() != null && options.getTo() != null,
          "replaying the lake needs a receipt-time range: give --from and --to (ISO-8601)");
    }
    if (source == SourceSpec.Kind.LAKE && mode == Mode.STREAMING) {
      checkArgument(
          options.getFrom() != null && options.getTo() == null,
          "following the lake in streaming needs --from (ISO-8601) and no --to; "
              + "a range [--from, --to) is replayed with --mode=batch");
    }
    checkArgument(
        options.getStopWhenIdleFor() == null
            || (source == SourceSpec.Kind.LAKE && mode == Mode.STREAMING),
        "--stopWhenIdleFor applies only when streaming from the lake (--source=lake)");
    checkArgument(
        spec.alerts().sinks().store() == null
            || !BigQueryLocation.isBigQuery(spec.outputs().serving()),
        "alerts.sinks.store keeps alerts in the serving store's alerts table, which needs a SQLite"
            + " or PostgreSQL serving store, not %s",
        spec.outputs().serving());
    for (String output : new String[] {spec.outputs().warehouse(), spec.outputs().serving()}) {
      if (BigQueryLocation.isBigQuery(output)) {
        BigQueryLocation.parse(output);
      }
    }
    return new RailyardJob(
        spec,
        mode,
        source,
        options.getFrom() == null ? null : parseInstant("--from", options.getFrom()),
        options.getTo() == null ? null : parseInstant("--to", options.getTo()),
        options.getStopWhenIdleFor() == null
            ? null
            : parseDuration("--stopWhenIdleFor", options.getStopWhenIdleFor()),
        filesEvery(options.getPublishFilesEvery()));
  }

  private static Duration filesEvery(String value) {
    Duration every = parseDuration("--publishFilesEvery", value);
    checkArgument(
        every.getMillis() % 1000 == 0,
        "--publishFilesEvery must be a whole number of seconds, such as 10s or 1m, not '%s'",
        value);
    return every;
  }

  /** Dead letters kept in the lake, published as often as the job's other files. */
  private DeadLetterWrite deadLetterWrite() {
    return DeadLetterWrite.create()
        .withRoot(spec.outputs().lake())
        .withPipelineName(spec.name())
        .withWindow(filesEvery);
  }

  private static Duration parseDuration(String option, String value) {
    Duration duration = Durations.parse(value.trim());
    checkArgument(
        duration != null && duration.getMillis() > 0,
        "%s must be a positive duration such as 30s or 5m, not '%s'",
        option,
        value);
    return duration;
  }

  private static Instant parseInstant(String option, String value) {
    try {
      return Instant.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, not '" + value + "'");
    }
  }

  public PipelineSpec spec() {
    return spec;
  }

  public Mode mode() {
    return mode;
  }

  /** Where the job reads its events. */
  public SourceSpec.Kind source() {
    return source;
  }

  public ServingRow.Layer layer() {
    return mode == Mode.BATCH ? ServingRow.Layer.BATCH : ServingRow.Layer.SPEED;
  }

  /** Adds the job's transforms to {@code pipeline}. */
  public void expandInto(Pipeline pipeline) {
    PCollectionList<DeadLetter> sourceDeadLetters = PCollectionList.empty(pipeline);
    PCollection<RawEvent> raw;
    if (source == SourceSpec.Kind.WATCH) {
      WithDeadLetters<RawEvent> files = watchFiles(pipeline.begin());
      raw = files.output();
      sourceDeadLetters = sourceDeadLetters.and(files.deadLetters());
    } else {
      raw = read(pipeline.begin());
    }
    if (source == SourceSpec.Kind.KAFKA) {
      // Landed before the checkpoint that commits the offsets (see LandKafkaEvents).
      raw.apply(
          "KeepRaw",
          LandKafkaEvents.to(spec.outputs().lake()).withPipelineName(spec.name()));
    } else if (source == SourceSpec.Kind.FILE) {
      // Each imported line once, however often the import is run again (see LandImportedEvents).
      raw.apply(
          "KeepRaw",
          LandImportedEvents.to(spec.outputs().lake()).withPipelineName(spec.name()));
    } else if (source != SourceSpec.Kind.LAKE && source != SourceSpec.Kind.MQTT) {
      // MQTT lands its messages itself, before acknowledging them (see ReadMqttEvents).
      raw.apply(
          "KeepRaw",
          RawLakeWrite.create()
              .withRoot(spec.outputs().lake())
              .withPipelineName(spec.name())
              .withWindow(filesEvery));
    }
    process(raw, sourceDeadLetters);
  }

  /**
   * Everything after the source and the raw lake: prepare, warehouse, dead letters, views and
   * health served, alert rules checked and their alerts delivered.
   */
  public void process(PCollection<RawEvent> raw) {
    process(raw, PCollectionList.empty(raw.getPipeline()));
  }

  /**
   * As {@link #process(PCollection)}, with the dead letters the source already wrote (a file
   * drop's unreadable rows) counted in the health view too.
   */
  private void process(PCollection<RawEvent> raw, PCollectionList<DeadLetter> sourceDeadLetters) {
    Pipeline pipeline = raw.getPipeline();
    WithDeadLetters<Row> prepared =
        raw.apply("Prepare", prepareEvents(spec, pipeline.getOptions()));
    prepared
        .deadLetters()
        .apply(
            "KeepDeadLetters",
            deadLetterWrite());
    PCollectionList<DeadLetter> deadLetters =
        sourceDeadLetters
            .and(prepared.deadLetters())
            .and(writeWarehouse(prepared.output(), pipeline.getOptions()).getAll());
    PCollectionList<ServingRow> served =
        PCollectionList.of(
            health(raw, prepared, deadLetters.apply("AllDeadLetters", Flatten.pCollections())));
    if (!spec.views().isEmpty()) {
      served =
          served.and(
              prepared.output().apply("Views", ComputeViews.of(spec.views()).withLayer(layer())));
    }
    PCollection<ServingRow> rows = served.apply("AllServingRows", Flatten.pCollections());
    if (source == SourceSpec.Kind.LAKE && mode == Mode.BATCH) {
      // A backfill supersedes speed rows only for the windows it saw whole.
      rows =
          rows.apply(
              "KeepWindowsSeenWhole",
              KeepWindowsSeenWhole.receivedIn(from, to)
                  .withAllowedSkew(spec.eventTime().allowedSkew())
                  .withViews(spec.views()));
    }
    serve(rows);
    alert(rows);
  }

  /** The spec's alert rules checked on every complete window, their alerts delivered. */
  private void alert(PCollection<ServingRow> rows) {
    if (spec.alerts().rules().isEmpty()) {
      return;
    }
    rows.apply(
            "Alerts",
            EvaluateAlerts.of(spec.alerts().rules()).withPipelineName(spec.name()))
        .apply("DeliverAlerts", DeliverAlerts.create().to(spec.alerts().sinks()))
        .apply(
            "KeepUndeliveredAlerts",
            deadLetterWrite());
  }

  /**
   * The reserved health view's rows: a minute's received events and bytes, valid, unique, late and
   * dropped events, dead letters by reason, and the columns derived from them.
   *
   * <p>{@code deadLetters} are those of the source, preparation and the warehouse. Those of the
   * serving write and of alert delivery cannot count here: they come from health rows, and a
   * pipeline's graph has no cycles.
   */
  private PCollection<ServingRow> health(
      PCollection<RawEvent> raw, WithDeadLetters<Row> prepared, PCollection<DeadLetter> deadLetters) {
    return PCollectionList.of(raw.apply("MarkReceived", HealthMarks.received()))
        .and(deadLetters.apply("MarkDeadLetters", HealthMarks.deadLetters()))
        .and(
            prepared
                .get(PrepareEvents.VALID)
                .apply("MarkValid", HealthMarks.valid()))
        .and(prepared.output().apply("MarkDropped", HealthMarks.dropped(spec.allowedLateness())))
        .and(prepared.output().apply("MarkUnique", HealthView.<Row>mark(HealthView.UNIQUE)))
        .apply("HealthMarks", Flatten.pCollections())
        .apply(
            "Health",
            ComputeViews.of(List.of(HealthView.spec(spec.allowedLateness()))).withLayer(layer()))
        .apply("HealthDerived", HealthDerived.create());
  }

  /**
   * The serving store, or BigQuery upserts for {@code bigquery:<project>:<dataset>}; rows
   * BigQuery refuses become dead letters.
   */
  private void serve(PCollection<ServingRow> rows) {
    String serving = spec.outputs().serving();
    if (!BigQueryLocation.isBigQuery(serving)) {
      rows.apply(
          "Serve", WriteServing.write().withLocation(serving).withMergingViews(mergingViews()));
      return;
    }
    rows
        .apply("Serve", BigQueryServingWrite.create().to(BigQueryLocation.parse(serving)))
        .apply(
            "KeepRejectedServingRows",
            deadLetterWrite());
  }

  /**
   * Parquet files under the warehouse root (on a local or mounted one, each recorded in the catalog
   * next to it), or a BigQuery table for {@code bigquery:<project>:<dataset>}; rows BigQuery
   * refuses become dead letters, which it returns (none for Parquet). Streaming writes to
   * BigQuery exactly once unless {@code --useStorageWriteApiAtLeastOnce}.
   */
  private PCollectionList<DeadLetter> writeWarehouse(PCollection<Row> rows, PipelineOptions options) {
    String warehouse = spec.outputs().warehouse();
    if (!BigQueryLocation.isBigQuery(warehouse)) {
      PCollection<KV<String, String>> written =
          rows.apply(
              "Warehouse",
              WarehouseWrite.create()
                  .withRoot(warehouse)
                  .withTable(spec.schema().table())
                  .withSchema(spec.schema().rowSchema())
                  .withWindow(filesEvery))
          .apply("CountWarehouseRows", CountWarehouseRows.create());
      if (WarehouseCatalog.catalogued(spec)) {
        written.apply(
            "Catalog",
            RecordInCatalog.of(warehouse, spec.schema().table(), spec.schema().version()));
      }
      return PCollectionList.empty(rows.getPipeline());
    }
    BigQueryWarehouseWrite bigQuery =
        BigQueryWarehouseWrite.create().to(BigQueryLocation.parse(warehouse)).withSchema(spec.schema());
    if (mode == Mode.STREAMING
        && Boolean.TRUE.equals(options.as(BigQueryOptions.class).getUseStorageWriteApiAtLeastOnce())) {
      bigQuery = bigQuery.withAtLeastOnce();
    }
    PCollection<DeadLetter> rejected = rows.apply("Warehouse", bigQuery);
    rejected.apply(
        "KeepRejectedRows",
        deadLetterWrite());
    return PCollectionList.of(rejected);
  }

  /** Parsing, validation, event time and deduplication as {@code spec} declares them. */
  public static PrepareEvents prepareEvents(PipelineSpec spec, PipelineOptions options) {
    return PrepareEvents.of(spec.schema())
        .withEventIdField(spec.dedupe().key())
        .withEventTimeField(spec.eventTime().field())
        .withMaxRecordBytes(spec.limits().maxRecordBytes())
        .withMaxDepth(spec.limits().maxDepth())
        .withAllowedSkew(spec.eventTime().allowedSkew())
        .withDedupeHorizon(spec.dedupe().horizon());
  }

  /** The spec's MQTT block with --mqttUsername and --mqttPassword in place of its credentials. */
  private static MqttSourceSpec mqttWithCredentials(MqttSourceSpec mqtt, RailyardOptions options) {
    String username = options.getMqttUsername() != null ? options.getMqttUsername() : mqtt.username();
    String password = options.getMqttPassword() != null ? options.getMqttPassword() : mqtt.password();
    if (username == null && password == null) {
      return mqtt;
    }
    if (username == null) {
      throw new IllegalArgumentException(
          "--mqttPassword needs a user: give --mqttUsername or source.mqtt.username");
    }
    return mqtt.withCredentials(username, password);
  }

  private PCollection<RawEvent> read(PBegin begin) {
    if (source == SourceSpec.Kind.FILE) {
      return begin.apply(
          "ImportFiles", ImportEventFiles.create().withFilepattern(spec.source().path()));
    }
    if (source == SourceSpec.Kind.KAFKA) {
      return begin.apply(
          "ReadKafka",
          KafkaSourceFromSpec.read(spec, begin.getPipeline().getOptions().as(RailyardOptions.class)));
    }
    if (source == SourceSpec.Kind.MQTT) {
      MqttSourceSpec mqtt =
          mqttWithCredentials(
              spec.source().mqtt(), begin.getPipeline().getOptions().as(RailyardOptions.class));
      MqttTlsCheck.verify(mqtt.server());
      ReadMqttEvents read =
          ReadMqttEvents.create()
              .withServerUri(mqtt.server())
              .withTopics(mqtt.topics())
              .withClientId(mqtt.clientIdFor(spec.name()))
              .withLake(spec.outputs().lake(), spec.name());
      if (mqtt.username() != null) {
        read = read.withCredentials(mqtt.username(), mqtt.password());
      }
      return begin.apply("ReadMqtt", read);
    }
    if (source == SourceSpec.Kind.PUBSUB) {
      return begin.apply("ReadPubsub", readPubsub(spec.source().pubsub()));
    }
    if (source == SourceSpec.Kind.LAKE) {
      String lake = spec.source().path() == null ? spec.outputs().lake() : spec.source().path();
      RawLakeRead read = RawLakeRead.create().withRoot(lake).withPipelineName(spec.name());
      if (mode == Mode.BATCH) {
        return begin.apply("ReadLake", read.withTimeRange(from, to));
      }
      read = read.continuously(from, LAKE_POLL_INTERVAL);
      return begin.apply(
          "FollowLake", stopWhenIdleFor == null ? read : read.withStopWhenIdleFor(stopWhenIdleFor));
    }
    return begin.apply("Generate", generateEvents(spec).withUnbounded(mode == Mode.STREAMING));
  }

  private static ReadPubsubEvents readPubsub(PubsubSourceSpec pubsub) {
    ReadPubsubEvents read = ReadPubsubEvents.create();
    read = pubsub.subscription() != null
        ? read.withSubscription(pubsub.subscription())
        : read.withTopic(pubsub.topic());
    if (pubsub.idAttribute() != null) {
      read = read.withIdAttribute(pubsub.idAttribute());
    }
    if (pubsub.timestampAttribute() != null) {
      read = read.withTimestampAttribute(pubsub.timestampAttribute());
    }
    return read;
  }

  /** Dropped files; their unreadable CSV rows go straight to the dead letters. */
  private WithDeadLetters<RawEvent> watchFiles(PBegin begin) {
    WatchSourceSpec watch = spec.source().watch();
    WatchEventFiles files =
        WatchEventFiles.create().withFilepattern(watch.path()).withPollInterval(watch.pollInterval());
    if (watch.format() != null) {
      files = files.withFormat(watch.format());
    }
    if (watch.stopWhenIdleFor() != null) {
      files = files.withStopWhenIdleFor(watch.stopWhenIdleFor());
    }
    WithDeadLetters<RawEvent> read =
        begin.apply("WatchFiles", mode == Mode.BATCH ? files.once() : files);
    read.deadLetters()
        .apply(
            "KeepFileDeadLetters",
            deadLetterWrite());
    return read;
  }

  /** The built-in generator as {@code spec} configures it: its events, schema, id and time. */
  public static GenerateEvents generateEvents(PipelineSpec spec) {
    return GenerateEvents.generateEvents()
        .withConfig(spec.source().generator())
        .withSchema(spec.schema())
        .withEventIdField(spec.dedupe().key())
        .withEventTimeField(spec.eventTime().field());
  }

  private Set<String> mergingViews() {
    return spec.views().stream()
        .filter(v -> v.window().merging())
        .map(ViewSpec::name)
        .collect(Collectors.toSet());
  }
}
