package railyard.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * A group's slices, as they are: each bundle folded its slices already, so there is nothing to
 * fold until the group builds its windows ({@link BuildViewWindowsFn}).
 */
final class CollectSlicesFn extends CombineFn<ViewSlice, List<ViewSlice>, List<ViewSlice>> {
  @Override
  public List<ViewSlice> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<ViewSlice> addInput(List<ViewSlice> slices, ViewSlice slice) {
    slices.add(slice);
    return slices;
  }

  @Override
  public List<ViewSlice> mergeAccumulators(Iterable<List<ViewSlice>> lists) {
    List<ViewSlice> all = new ArrayList<>();
    lists.forEach(all::addAll);
    return all;
  }

  @Override
  public List<ViewSlice> extractOutput(List<ViewSlice> slices) {
    return slices;
  }

  @Override
  public Coder<List<ViewSlice>> getAccumulatorCoder(CoderRegistry registry, Coder<ViewSlice> input) {
    return ListCoder.of(new ViewSlice.Coder());
  }

  @Override
  public Coder<List<ViewSlice>> getDefaultOutputCoder(CoderRegistry registry, Coder<ViewSlice> input) {
    return ListCoder.of(new ViewSlice.Coder());
  }
}
