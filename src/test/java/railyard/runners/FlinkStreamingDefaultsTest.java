package railyard.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.generator.GenerateEvents;
import railyard.io.generator.GeneratorConfig;
import railyard.model.RawEvent;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;
import railyard.testing.Counters;

/**
 * Railyard's defaults for in-process Flink streaming, run for real: state larger than Flink's
 * default in-memory checkpoint storage allows, and a task failure.
 */
@RunWith(JUnit4.class)
public class FlinkStreamingDefaultsTest {
  private static final PipelineSpec SPEC = SpecLoader.load(Path.of("src/test/resources/specs/e2e.yaml"));
  private static final String NAMESPACE = "flink-streaming-defaults";
  /** 24,000 events of 1 KiB state each: about 12 MiB a task, past the 5 MiB in-memory limit. */
  private static final long EVENTS = 24_000;
  private static final int STATE_BYTES_PER_EVENT = 1024;

  @Test(timeout = 240_000)
  public void stateAboveTheInMemoryCheckpointLimitIsCheckpointedAndEveryEventCountedOnce() {
    Pipeline p = Pipeline.create(flinkStreaming("--checkpointingInterval=250"));
    // Paced so that many checkpoints are taken while the state grows past 5 MiB a task.
    keyedByIndex(events(p, EVENTS, 6_000))
        .apply("KeepInState", ParDo.of(new KeepInStateFn()));

    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(result.getState(), equalTo(PipelineResult.State.DONE));
    assertThat(counter(result, "kept"), equalTo(EVENTS));
  }

  @Test(timeout = 120_000)
  public void aTaskFailureEndsTheRunWithItsCauseInsteadOfRestarting() {
    Pipeline p = Pipeline.create(flinkStreaming());
    events(p, 100, 0).apply("FailOnce", ParDo.of(new FailFn()));

    RuntimeException failure = assertThrows(RuntimeException.class, () -> p.run().waitUntilFinish());

    assertThat(rootCause(failure), instanceOf(IllegalStateException.class));
    assertThat(rootCause(failure).getMessage(), equalTo(FailFn.MESSAGE));
  }

  @Test
  public void anOperatorsChoiceOfStateBackendIsKept() {
    FlinkPipelineOptions options =
        flinkStreaming("--stateBackend=rocksdb", "--stateBackendStoragePath=file:///elsewhere")
            .as(FlinkPipelineOptions.class);

    assertThat(options.getStateBackend(), equalTo("rocksdb"));
    assertThat(options.getStateBackendStoragePath(), equalTo("file:///elsewhere"));
  }

  private static PipelineOptions flinkStreaming(String... args) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).create();
    Runners.configure(options, args, true);
    options.as(FlinkPipelineOptions.class).setParallelism(2);
    return options;
  }

  private static PCollection<RawEvent> events(Pipeline p, long events, double rate) {
    GeneratorConfig config =
        new GeneratorConfig(
            7L,
            events,
            1000.0,
            rate,
            Instant.parse("2026-03-01T10:00:00Z"),
            0.0,
            0.0,
            0.0,
            Duration.standardSeconds(5),
            Duration.standardMinutes(1));
    return p.apply(
        GenerateEvents.generateEvents()
            .withConfig(config)
            .withSchema(SPEC.schema())
            .withEventIdField(SPEC.dedupe().key())
            .withEventTimeField(SPEC.eventTime().field())
            .withUnbounded(true));
  }

  private static PCollection<KV<Integer, byte[]>> keyedByIndex(PCollection<RawEvent> events) {
    return events
        .apply(
            "KeyByPayload",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.integers(), TypeDescriptor.of(byte[].class)))
                .via(e -> KV.of(Math.floorMod(e.payload().hashCode(), 64), e.payload())))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()));
  }

  private static long counter(PipelineResult result, String name) {
    return Counters.sum(result, NAMESPACE, name);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Keeps a kilobyte per event in keyed state until the end of the run. */
  private static final class KeepInStateFn extends DoFn<KV<Integer, byte[]>, Void> {
    private final Counter kept = Metrics.counter(NAMESPACE, "kept");

    @StateId("kept")
    private final StateSpec<BagState<byte[]>> keptSpec = StateSpecs.bag(ByteArrayCoder.of());

    @ProcessElement
    public void process(@StateId("kept") BagState<byte[]> state) {
      state.add(new byte[STATE_BYTES_PER_EVENT]);
      kept.inc();
    }
  }

  private static final class FailFn extends DoFn<RawEvent, Void> {
    static final String MESSAGE = "a task failure the run must report";

    @ProcessElement
    public void process() {
      throw new IllegalStateException(MESSAGE);
    }
  }
}
