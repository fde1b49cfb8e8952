package railyard.transforms;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/** Finishes what {@link CombineWithinBundleFn} started: its inputs are partial accumulators. */
final class MergeAccumulatorsFn extends CombineFn<ViewAccumulator, ViewAccumulator, ViewResult> {
  private final ViewMetricsFn metrics;

  MergeAccumulatorsFn(ViewMetricsFn metrics) {
    this.metrics = metrics;
  }

  @Override
  public ViewAccumulator createAccumulator() {
    return metrics.createAccumulator();
  }

  @Override
  public ViewAccumulator addInput(ViewAccumulator acc, ViewAccumulator partial) {
    acc.merge(partial);
    return acc;
  }

  @Override
  public ViewAccumulator mergeAccumulators(Iterable<ViewAccumulator> accumulators) {
    return metrics.mergeAccumulators(accumulators);
  }

  @Override
  public ViewResult extractOutput(ViewAccumulator acc) {
    return metrics.extractOutput(acc);
  }

  @Override
  public Coder<ViewAccumulator> getAccumulatorCoder(
      CoderRegistry registry, Coder<ViewAccumulator> input) {
    return new ViewAccumulator.Coder();
  }

  @Override
  public Coder<ViewResult> getDefaultOutputCoder(
      CoderRegistry registry, Coder<ViewAccumulator> input) {
    return new ViewResult.Coder();
  }
}
