package railyard.bench;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.io.lake.RawLakeRead;
import railyard.model.RawEvent;
import railyard.model.ServingRow;
import railyard.pipelines.RailyardJob;
import railyard.spec.PipelineSpec;
import railyard.transforms.ComputeViews;
import railyard.transforms.PrepareEvents;
import railyard.transforms.WithDeadLetters;

/**
 * The measured pipeline: parse → validate → event time → deduplicate → every view → serving rows,
 * built from the same transforms as the job. Serving rows and dead letters are counted, not
 * stored, so the figures are the computation's, not a sink's.
 */
final class BenchPipeline {
  static final String NAMESPACE = "bench";
  static final String SERVING_ROWS = "servingRows";
  static final String SOURCE_EVENTS = "sourceEvents";
  /** The lake range replayed: from the generator's start, long enough for any bench workload. */
  private static final int WORKLOAD_DAYS = 7;

  private BenchPipeline() {}

  static void expandInto(Pipeline pipeline, PipelineSpec spec, String input, boolean streaming) {
    PCollection<RawEvent> raw = read(pipeline, spec, input, streaming);
    if (input.equals("generator-only")) {
      raw.apply("CountEvents", ParDo.of(new CountFn<RawEvent>(SOURCE_EVENTS)));
      return;
    }
    expandFrom(raw, spec, streaming);
  }

  /** The measured pipeline on events read elsewhere (e.g. from Kafka). */
  static void expandFrom(PCollection<RawEvent> raw, PipelineSpec spec, boolean streaming) {
    Pipeline pipeline = raw.getPipeline();
    ComputeViews views =
        ComputeViews.of(spec.views())
            .withLayer(streaming ? ServingRow.Layer.SPEED : ServingRow.Layer.BATCH);
    PrepareEvents prepare = RailyardJob.prepareEvents(spec, pipeline.getOptions());
    // The views are the only consumer (no warehouse here), so rows keep only what they read.
    WithDeadLetters<Row> prepared =
        raw.apply(
            "Prepare", views.fieldsRead().map(prepare::withKeptFields).orElse(prepare));
    prepared.output()
        .apply("Views", views)
        .apply("CountServingRows", ParDo.of(new CountFn<ServingRow>(SERVING_ROWS)));
  }

  private static PCollection<RawEvent> read(
      Pipeline pipeline, PipelineSpec spec, String input, boolean streaming) {
    if (input.equals("lake")) {
      Instant start = spec.source().generator().start();
      return pipeline.apply(
          "ReadLake",
          RawLakeRead.create()
              .withRoot(spec.outputs().lake())
              .withPipelineName(spec.name())
              .withTimeRange(start, start.plus(Duration.standardDays(WORKLOAD_DAYS))));
    }
    return pipeline.apply("Generate", RailyardJob.generateEvents(spec).withUnbounded(streaming));
  }

  /** Counts per bundle: the harness should cost next to nothing beside tens of millions of rows. */
  private static final class CountFn<T> extends DoFn<T, Void> {
    private final Counter counter;
    private transient long counted;

    CountFn(String name) {
      counter = Metrics.counter(NAMESPACE, name);
    }

    @StartBundle
    public void start() {
      counted = 0;
    }

    @ProcessElement
    public void process() {
      counted++;
    }

    @FinishBundle
    public void finish() {
      counter.inc(counted);
    }
  }
}
