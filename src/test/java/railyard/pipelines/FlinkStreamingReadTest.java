package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.generator.GenerateEvents;
import railyard.model.ServingRow;
import railyard.runners.Runners;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;
import railyard.spec.SpecOverrides;
import railyard.transforms.ComputeViews;
import railyard.transforms.RailyardMetrics;
import railyard.transforms.WithDeadLetters;

/**
 * A stream long and loaded enough to checkpoint several times, with Railyard's Flink defaults: every
 * generated event must be read exactly once. Beam 2.62's default unbounded-source wrapper on Flink
 * re-read and skipped events in this run (see {@code FlinkTuning}).
 */
@RunWith(JUnit4.class)
public class FlinkStreamingReadTest {
  private static final long EVENTS = 100_000;

  @Test(timeout = 300_000)
  public void aLoadedCheckpointedStreamReadsEveryGeneratedEventOnce() {
    PipelineSpec spec =
        SpecLoader.load(Path.of("bench/specs/skewed-keys.yaml"))
            .withOverrides(SpecOverrides.none().withEvents(EVENTS));
    String[] args = {"--runner=FlinkRunner"};
    RailyardOptions options = PipelineOptionsFactory.fromArgs(args).as(RailyardOptions.class);
    Runners.configure(options, args, true);
    Pipeline pipeline = Pipeline.create(options);
    WithDeadLetters<Row> prepared =
        pipeline
            .apply(
                GenerateEvents.generateEvents()
                    .withConfig(spec.source().generator())
                    .withSchema(spec.schema())
                    .withEventIdField(spec.dedupe().key())
                    .withEventTimeField(spec.eventTime().field())
                    .withUnbounded(true))
            .apply(RailyardJob.prepareEvents(spec, options));
    prepared.output().apply(ComputeViews.of(spec.views()).withLayer(ServingRow.Layer.SPEED));

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertThat(counter(result, RailyardMetrics.RECEIVED), is(EVENTS));
    assertThat(
        counter(result, RailyardMetrics.UNIQUE) + counter(result, RailyardMetrics.DUPLICATES),
        is(counter(result, RailyardMetrics.VALID)));
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(RailyardMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }
}
