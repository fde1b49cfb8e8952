package railyard.pipelines;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import railyard.io.deadletter.DeadLetterWrite;
import railyard.io.fileimport.ImportEventFiles;
import railyard.io.generator.GenerateEvents;
import railyard.io.lake.RawLakeRead;
import railyard.io.lake.RawLakeWrite;
import railyard.io.serving.WriteServing;
import railyard.io.warehouse.WarehouseWrite;
import railyard.model.RawEvent;
import railyard.model.ServingRow;
import railyard.pipelines.RailyardOptions.Mode;
import railyard.schema.ViewSpec;
import railyard.runners.Runners;
import railyard.spec.PipelineSpec;
import railyard.spec.SourceSpec;
import railyard.transforms.ComputeViews;
import railyard.transforms.ParseJson;
import railyard.transforms.PrepareEvents;
import railyard.transforms.WithDeadLetters;

/**
 * The whole flow for one spec, in either mode: source → raw lake → prepare → warehouse, dead
 * letters and serving rows. The same transforms run in batch and streaming; only the source's
 * boundedness and the serving layer differ.
 */
public final class RailyardJob {
  private final PipelineSpec spec;
  private final Mode mode;
  private final SourceSpec.Kind source;
  private final @Nullable Instant from;
  private final @Nullable Instant to;

  private RailyardJob(
      PipelineSpec spec, Mode mode, SourceSpec.Kind source, @Nullable Instant from, @Nullable Instant to) {
    this.spec = spec;
    this.mode = mode;
    this.source = source;
    this.from = from;
    this.to = to;
  }

  public static RailyardJob of(PipelineSpec spec, RailyardOptions options) {
    SourceSpec.Kind source =
        options.getSource() == null
            ? spec.source().kind()
            : SourceSpec.Kind.valueOf(options.getSource().trim().toUpperCase(java.util.Locale.ROOT));
    checkArgument(
        Mode.of(options.getMode()) == Mode.BATCH
            || source == SourceSpec.Kind.GENERATOR
            || source == SourceSpec.Kind.KAFKA,
        "streaming mode reads the generator or Kafka; import files or replay the lake with --mode=batch");
    checkArgument(
        Mode.of(options.getMode()) == Mode.STREAMING || source != SourceSpec.Kind.KAFKA,
        "Kafka is a streaming source: run it with --mode=streaming; to process again what it"
            + " delivered, replay the raw lake: --mode=batch --source=lake --from=… --to=…");
    if (source == SourceSpec.Kind.KAFKA) {
      KafkaSourceFromSpec.read(spec, options); // fails now if brokers or topics are missing
    }
    checkArgument(
        source != SourceSpec.Kind.FILE || spec.source().path() != null,
        "a file import needs source.path in the spec");
    checkArgument(
        source != SourceSpec.Kind.LAKE || (options.getFrom() != null && options.getTo() != null),
        "replaying the lake needs a receipt-time range: give --from and --to (ISO-8601)");
    return new RailyardJob(
        spec,
        Mode.of(options.getMode()),
        source,
        options.getFrom() == null ? null : parseInstant("--from", options.getFrom()),
        options.getTo() == null ? null : parseInstant("--to", options.getTo()));
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

  public ServingRow.Layer layer() {
    return mode == Mode.BATCH ? ServingRow.Layer.BATCH : ServingRow.Layer.SPEED;
  }

  /** Adds the job's transforms to {@code pipeline}. */
  public void expandInto(Pipeline pipeline) {
    PCollection<RawEvent> raw = read(pipeline.begin());
    if (source != SourceSpec.Kind.LAKE) {
      raw.apply(
          "KeepRaw",
          RawLakeWrite.create().withRoot(spec.outputs().lake()).withPipelineName(spec.name()));
    }
    WithDeadLetters<Row> prepared =
        raw.apply("Prepare", prepareEvents(spec, pipeline.getOptions()));
    prepared
        .deadLetters()
        .apply(
            "KeepDeadLetters",
            DeadLetterWrite.create().withRoot(spec.outputs().lake()).withPipelineName(spec.name()));
    prepared
        .output()
        .apply(
            "Warehouse",
            WarehouseWrite.create()
                .withRoot(spec.outputs().warehouse())
                .withTable(spec.schema().table())
                .withSchema(spec.schema().rowSchema()));
    if (!spec.views().isEmpty()) {
      prepared
          .output()
          .apply("Views", ComputeViews.of(spec.views()).withLayer(layer()))
          .apply(
              "Serve",
              WriteServing.write()
                  .withLocation(spec.outputs().serving())
                  .withMergingViews(mergingViews()));
    }
  }

  /** Parsing, validation, event time and deduplication as {@code spec} declares them. */
  public static PrepareEvents prepareEvents(PipelineSpec spec, PipelineOptions options) {
    return PrepareEvents.of(
            ParseJson.of(spec.schema())
                .withEventIdField(spec.dedupe().key())
                .withEventTimeField(spec.eventTime().field())
                .withMaxRecordBytes(spec.limits().maxRecordBytes())
                .withMaxDepth(spec.limits().maxDepth()))
        .withAllowedSkew(spec.eventTime().allowedSkew())
        .withDedupeHorizon(spec.dedupe().horizon())
        .withExpiryTimers(Runners.supportsTimers(options));
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
    if (source == SourceSpec.Kind.LAKE) {
      String lake = spec.source().path() == null ? spec.outputs().lake() : spec.source().path();
      return begin.apply(
          "ReadLake",
          RawLakeRead.create().withRoot(lake).withPipelineName(spec.name()).withTimeRange(from, to));
    }
    return begin.apply("Generate", generateEvents(spec).withUnbounded(mode == Mode.STREAMING));
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
