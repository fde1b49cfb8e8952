package railyard.io.generator;

import static railyard.io.generator.GeneratorFixtures.ID;
import static railyard.io.generator.GeneratorFixtures.TS;
import static railyard.io.generator.GeneratorFixtures.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.spark.TestSparkPipelineOptions;
import org.apache.beam.runners.spark.TestSparkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/**
 * The unbounded generator on Spark's micro-batch UnboundedSource reader. Spark streaming never
 * stops by itself: the test runner stops it once the global watermark reaches the end of time,
 * which the generator's watermark does after its last event.
 */
@RunWith(JUnit4.class)
public class GenerateEventsSparkTest {
  @Rule public final transient TestPipeline p = TestPipeline.fromOptions(sparkStreaming());

  private static TestSparkPipelineOptions sparkStreaming() {
    TestSparkPipelineOptions options = PipelineOptionsFactory.as(TestSparkPipelineOptions.class);
    options.setRunner(TestSparkRunner.class);
    options.setSparkMaster("local[2]");
    options.setForceStreaming(true);
    options.setStreaming(true);
    options.setBatchIntervalMillis(500L);
    options.setStopPipelineWatermark(BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis());
    options.setTestTimeoutSeconds(120L);
    return options;
  }

  @Test(timeout = 180_000)
  public void unboundedRunOnSparkMakesEveryEventOnce() {
    GeneratorConfig config = config(1_000, 0.05, 0.05, 0.05);
    PCollection<RawEvent> events =
        p.apply(
            GenerateEvents.generateEvents()
                .withConfig(config)
                .withSchema(GeneratorFixtures.clicks())
                .withEventIdField(ID)
                .withEventTimeField(TS)
                .withUnbounded(true));
    EventGenerator g = GeneratorFixtures.generator(config);
    List<RawEvent> expected = new ArrayList<>();
    for (long i = 0; i < config.events(); i++) {
      expected.add(g.event(i));
    }
    PAssert.that(events).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
