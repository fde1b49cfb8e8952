package railyard.io.generator;

import static railyard.io.generator.GeneratorFixtures.ID;
import static railyard.io.generator.GeneratorFixtures.TS;
import static railyard.io.generator.GeneratorFixtures.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.TestFlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/** The unbounded generator on Flink's own UnboundedSource reader, in streaming mode. */
@RunWith(JUnit4.class)
public class GenerateEventsFlinkTest {
  @Rule public final transient TestPipeline p = TestPipeline.fromOptions(flinkStreaming());

  private static FlinkPipelineOptions flinkStreaming() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(TestFlinkRunner.class);
    options.setStreaming(true);
    options.setParallelism(2);
    return options;
  }

  @Test(timeout = 180_000)
  public void unboundedRunOnFlinkMakesEveryEventOnceAndFinishes() {
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
