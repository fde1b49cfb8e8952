package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Passes elements through unchanged, counting them in the {@link RailyardMetrics} counter {@code
 * name}: how a sink counts what it was given.
 */
public final class CountElements<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private final String name;

  private CountElements(String name) {
    this.name = name;
  }

  /** Counts into {@code RailyardMetrics.counter(name)}. */
  public static <T> CountElements<T> as(String name) {
    return new CountElements<>(name);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    checkArgument(name != null && !name.isEmpty(), "CountElements needs a metric name");
    return input.apply("Count " + name, ParDo.of(new CountFn<T>(name))).setCoder(input.getCoder());
  }

  private static final class CountFn<T> extends DoFn<T, T> {
    private final Counter counter;

    CountFn(String name) {
      this.counter = RailyardMetrics.counter(name);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      out.output(element);
    }
  }
}
