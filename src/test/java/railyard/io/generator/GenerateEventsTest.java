package railyard.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static railyard.io.generator.GeneratorFixtures.ID;
import static railyard.io.generator.GeneratorFixtures.TS;
import static railyard.io.generator.GeneratorFixtures.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Assert;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

@RunWith(JUnit4.class)
public class GenerateEventsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static GenerateEvents clicks(GeneratorConfig config) {
    return GenerateEvents.generateEvents()
        .withConfig(config)
        .withSchema(GeneratorFixtures.clicks())
        .withEventIdField(ID)
        .withEventTimeField(TS);
  }

  private static List<RawEvent> expected(GeneratorConfig config) {
    EventGenerator g = GeneratorFixtures.generator(config);
    List<RawEvent> events = new ArrayList<>();
    for (long i = 0; i < config.events(); i++) {
      events.add(g.event(i));
    }
    return events;
  }

  @Test(timeout = 120_000)
  public void boundedAndUnboundedMakeTheSameEvents() {
    GeneratorConfig config = config(1_500, 0.05, 0.05, 0.05);
    PCollection<RawEvent> bounded = p.apply("Bounded", clicks(config));
    PCollection<RawEvent> unbounded = p.apply("Unbounded", clicks(config).withUnbounded(true));
    PAssert.that(bounded).containsInAnyOrder(expected(config));
    PAssert.that(unbounded).containsInAnyOrder(expected(config));
    p.run().waitUntilFinish();
  }

  @Test(timeout = 120_000)
  public void anUnboundedRunStampsEveryEventWithItsReceiptTime() {
    PAssert.that(
            p.apply(clicks(config(500, 0.05, 0.05, 0.05)).withUnbounded(true))
                .apply(ParDo.of(new TimestampMismatches())))
        .empty();
    p.run().waitUntilFinish();
  }

  @Test(timeout = 120_000)
  public void aBoundedRunLeavesEveryEventAtTheStartOfTime() {
    PCollection<Instant> timestamps =
        p.apply(clicks(config(500, 0.05, 0.05, 0.05)))
            .apply(Reify.timestamps())
            .apply(
                MapElements.into(TypeDescriptor.of(Instant.class))
                    .via(TimestampedValue::getTimestamp))
            .apply(Distinct.create());
    PAssert.that(timestamps).containsInAnyOrder(BoundedWindow.TIMESTAMP_MIN_VALUE);
    p.run().waitUntilFinish();
  }

  @Test(timeout = 120_000)
  public void unboundedRunWithAnEventCountFinishesByItself() {
    p.getOptions().as(StreamingOptions.class).setStreaming(true);
    PCollection<Long> count =
        p.apply(clicks(config(2_000, 0.02, 0.01, 0.02)).withUnbounded(true))
            .apply(Window.into(FixedWindows.of(Duration.standardDays(1))))
            .apply(Combine.globally(Count.<RawEvent>combineFn()).withoutDefaults());
    PAssert.thatSingleton(count).isEqualTo(2_000L);
    p.run().waitUntilFinish();
  }

  @Test(timeout = 120_000)
  public void unboundedRunFinishesOnTheLegacyReadPathToo() {
    // Flink and Spark read UnboundedSources through their own reader loops, like this one.
    p.getOptions().as(StreamingOptions.class).setStreaming(true);
    ExperimentalOptions.addExperiment(p.getOptions().as(ExperimentalOptions.class), "use_deprecated_read");
    PCollection<RawEvent> events =
        p.apply(clicks(config(800, 0.05, 0.05, 0.05)).withUnbounded(true));
    PAssert.that(events).containsInAnyOrder(expected(config(800, 0.05, 0.05, 0.05)));
    p.run().waitUntilFinish();
  }

  @Test
  public void missingSchemaNamesWithSchema() {
    p.enableAbandonedNodeEnforcement(false);
    IllegalArgumentException e =
        Assert.assertThrows(
            IllegalArgumentException.class,
            () -> p.apply(GenerateEvents.generateEvents().withEventIdField(ID).withEventTimeField(TS)));
    assertThat(e.getMessage(), containsString("withSchema("));
  }

  @Test
  public void missingEventTimeFieldNamesWithEventTimeField() {
    p.enableAbandonedNodeEnforcement(false);
    IllegalArgumentException e =
        Assert.assertThrows(
            IllegalArgumentException.class,
            () ->
                p.apply(
                    GenerateEvents.generateEvents()
                        .withSchema(GeneratorFixtures.clicks())
                        .withEventIdField(ID)));
    assertThat(e.getMessage(), containsString("withEventTimeField("));
  }

  @Test
  public void boundedWithoutAnEventCountSaysWhatToCall() {
    p.enableAbandonedNodeEnforcement(false);
    IllegalArgumentException e =
        Assert.assertThrows(IllegalArgumentException.class, () -> p.apply(clicks(config(0, 0, 0, 0))));
    assertThat(e.getMessage(), containsString("withUnbounded(true)"));
  }

  @Test
  public void customSourceNameIsUsed() {
    PCollection<String> sources =
        p.apply(clicks(config(3, 0, 0, 0)).withSourceName("sim:clicks"))
            .apply(ParDo.of(new SourceOf()));
    PAssert.that(sources).containsInAnyOrder("sim:clicks", "sim:clicks", "sim:clicks");
    p.run().waitUntilFinish();
  }

  private static final class SourceOf extends DoFn<RawEvent, String> {
    @ProcessElement
    public void process(@Element RawEvent e, OutputReceiver<String> out) {
      out.output(e.source());
    }
  }

  /** Emits a description of every element whose timestamp is not its receivedAt. */
  private static final class TimestampMismatches extends DoFn<RawEvent, String> {
    @ProcessElement
    public void process(ProcessContext c) {
      if (c.timestamp().getMillis() != c.element().receivedAt()) {
        c.output(c.element() + " at " + c.timestamp());
      }
    }
  }
}
