package railyard.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * A key's slices, as they are: each bundle folded its slices already, so there is nothing to fold
 * until the key builds its windows ({@link BuildViewWindowsFn}).
 */
final class CollectSlicesFn extends CombineFn<TableSlice, List<TableSlice>, List<TableSlice>> {
  @Override
  public List<TableSlice> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<TableSlice> addInput(List<TableSlice> slices, TableSlice slice) {
    slices.add(slice);
    return slices;
  }

  @Override
  public List<TableSlice> mergeAccumulators(Iterable<List<TableSlice>> lists) {
    List<TableSlice> all = new ArrayList<>();
    lists.forEach(all::addAll);
    return all;
  }

  @Override
  public List<TableSlice> extractOutput(List<TableSlice> slices) {
    return slices;
  }

  @Override
  public Coder<List<TableSlice>> getAccumulatorCoder(CoderRegistry registry, Coder<TableSlice> input) {
    return ListCoder.of(new TableSlice.Coder());
  }

  @Override
  public Coder<List<TableSlice>> getDefaultOutputCoder(CoderRegistry registry, Coder<TableSlice> input) {
    return ListCoder.of(new TableSlice.Coder());
  }
}
