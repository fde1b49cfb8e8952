package railyard.bench;

import org.HdrHistogram.Histogram;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import railyard.io.generator.GeneratorConfig;
import railyard.model.RawEvent;
import railyard.model.ServingRow;
import railyard.pipelines.Railyard;
import railyard.pipelines.RailyardJob;
import railyard.runners.Runners;
import railyard.spec.PipelineSpec;
import railyard.transforms.ComputeViews;
import railyard.transforms.RailyardMetrics;
import railyard.transforms.WithDeadLetters;

/**
 * Streaming end-to-end latency at a fixed wall-clock rate: events sent at {@code --rate} per
 * second for {@code --seconds}, through the streaming pipeline, and the age of every serving row
 * when written (see {@link RowAges}) in an HdrHistogram. Prints one {@code BENCH-RESULT} line.
 */
public final class LatencyRun {
  private LatencyRun() {}

  /** Latency options on top of the bench's. */
  public interface LatencyOptions extends BenchOptions {
    @Description("Seconds to send events for.")
    @Default.Integer(60)
    int getSeconds();

    void setSeconds(int value);

    @Description("Seconds at the start whose rows are not counted (JIT, first checkpoint).")
    @Default.Integer(15)
    int getWarmupSeconds();

    void setWarmupSeconds(int value);
  }

  public static void main(String[] args) {
    Measurement measurement = Measurement.begin();
    PipelineOptionsFactory.register(LatencyOptions.class);
    LatencyOptions options = PipelineOptionsFactory.fromArgs(args).as(LatencyOptions.class);
    PipelineSpec spec = Railyard.loadSpec(options);
    double rate = spec.source().generator().rate();
    Runners.configure(options, args, true);
    Pipeline pipeline = Pipeline.create(options);

    GeneratorConfig base = spec.source().generator();
    GeneratorConfig live =
        new GeneratorConfig(
            base.seed(), Math.round(rate * options.getSeconds()), rate, rate, Instant.now(),
            base.duplicateShare(), base.malformedShare(), 0.0, base.maxOutOfOrder(),
            base.maxLateness());
    PCollection<RawEvent> sent =
        pipeline
            .apply(
                "Generate",
                RailyardJob.generateEvents(spec).withConfig(live).withUnbounded(true))
            .apply("StampSendTime", ParDo.of(new StampSendTime(spec.eventTime().field())));
    WithDeadLetters<Row> prepared = sent.apply("Prepare", RailyardJob.prepareEvents(spec, options));
    prepared
        .output()
        .apply("Views", ComputeViews.of(spec.views()).withLayer(ServingRow.Layer.SPEED))
        .apply("RowAges", ParDo.of(new RowAges()));

    measurement.startTimer();
    long launched = System.currentTimeMillis();
    RowAges.recordFromMillis = launched + options.getWarmupSeconds() * 1000L;
    RowAges.recordUntilMillis = launched + options.getSeconds() * 1000L;
    PipelineResult result = pipeline.run();
    Runners.awaitEnd(result, options);
    measurement.stopTimer();

    Histogram ages = RowAges.AGES_MILLIS;
    measurement
        .put("case", options.getCase())
        .put("runner", options.getRunner().getSimpleName())
        .put("mode", "streaming")
        .put("targetRate", rate)
        .put("rowsTimed", ages.getTotalCount())
        .put("p50Millis", ages.getValueAtPercentile(50))
        .put("p90Millis", ages.getValueAtPercentile(90))
        .put("p99Millis", ages.getValueAtPercentile(99))
        .put("maxMillis", ages.getMaxValue());
    System.out.println(
        measurement.resultLine(
            BenchRun.counter(result, RailyardMetrics.NAMESPACE, RailyardMetrics.RECEIVED)));
    System.exit(0);
  }
}
