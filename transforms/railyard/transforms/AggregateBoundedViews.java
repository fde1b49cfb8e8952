package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import railyard.schema.ViewSpec;

/**
 * Every metrics view of a bounded input in one pass and one shuffle: rows fold into time slices
 * per table of views and key within each bundle ({@link SliceViewsWithinBundleFn}), all of a key's
 * slices, of every view, are grouped together, and each key builds its windows ({@link
 * BuildViewWindowsFn}). The results are those of windowing each view's rows and combining them per
 * key: the same windows, values and timestamps.
 *
 * <p>Why not one Beam windowing and combine per view: the rows would fan out to each view (on
 * Flink's batch runner every consumer gets its own serialized copy), each combine would sort before
 * the shuffle what the bundle's hash tables have folded already, and a sliding view would shuffle a
 * copy of each slice per window. Why a group per key rather than per view and window: with many
 * keys few rows fold within a bundle, so the shuffle carries about one slice per row and table, and
 * a slice shared by a fixed and a sliding view travels once, not once for each of their groups. The
 * slices travel in batches by bucket of keys ({@link CombineInBuckets}), each key stamped with its
 * earliest slice, so on the Direct runner what follows the views, the alert rules' timers among
 * them, sees each window's result before the watermark passes the window's end.
 */
final class AggregateBoundedViews<T> extends PTransform<PCollection<Row>, PCollection<T>> {
  /** Slices one bundle may hold per view before the shuffle: about 100 MB of accumulators at most. */
  static final int MAX_SLICES_PER_BUNDLE = 200_000;

  private final List<ViewSpec> views;
  private final int maxSlices;
  private final BuildViewWindowsFn.Output<T> output;
  private final Coder<T> outputCoder;

  private AggregateBoundedViews(
      List<ViewSpec> views, int maxSlices, BuildViewWindowsFn.Output<T> output, Coder<T> outputCoder) {
    this.views = List.copyOf(views);
    this.maxSlices = maxSlices;
    this.output = output;
    this.outputCoder = outputCoder;
  }

  /** Each window's result, in the global window at the window's last instant. */
  static AggregateBoundedViews<ViewWindowResult> of(List<ViewSpec> views) {
    return new AggregateBoundedViews<>(
        views,
        MAX_SLICES_PER_BUNDLE,
        (view, key, start, end, result, builtAt) -> new ViewWindowResult(view, key, start, end, result),
        new ViewWindowResult.Coder());
  }

  /** What each window becomes instead of its result. */
  <U> AggregateBoundedViews<U> into(BuildViewWindowsFn.Output<U> windows, Coder<U> coder) {
    return new AggregateBoundedViews<>(views, maxSlices, windows, coder);
  }

  /** Tests hold tables of a few slices to reach the paths of a full table. */
  AggregateBoundedViews<T> withMaxSlices(int slices) {
    return new AggregateBoundedViews<>(views, slices, output, outputCoder);
  }

  @Override
  public PCollection<T> expand(PCollection<Row> rows) {
    checkArgument(
        rows.isBounded() == PCollection.IsBounded.BOUNDED,
        "AggregateBoundedViews reads bounded rows; compute a stream's views with AggregateView");
    Schema schema = rows.getSchema();
    views.forEach(view -> AggregateView.checkFields(view, schema));
    ViewTables layout =
        new ViewTables(views.stream().map(view -> new SlicedView(view, schema)).toList());
    return rows.apply("FoldSlicesWithinBundle", ParDo.of(new SliceViewsWithinBundleFn(layout, maxSlices)))
        .setCoder(KvCoder.of(new SliceGroup.Coder(), new TableSlice.Coder()))
        .apply("GroupSlicesByKey", CombineInBuckets.<SliceGroup, TableSlice, List<TableSlice>, List<TableSlice>>of(new CollectSlicesFn()))
        .setCoder(KvCoder.of(new SliceGroup.Coder(), ListCoder.of(new TableSlice.Coder())))
        .apply("BuildWindows", ParDo.of(new BuildViewWindowsFn<>(layout, output)))
        .setCoder(outputCoder);
  }
}
