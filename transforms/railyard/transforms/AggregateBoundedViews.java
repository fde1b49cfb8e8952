package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import railyard.schema.ViewSpec;

/**
 * Every metrics view of a bounded input in one pass and one shuffle: rows fold into time slices
 * per view and key within each bundle ({@link SliceViewsWithinBundleFn}), the slices of all views
 * are grouped together, and each group builds its windows ({@link BuildViewWindowsFn}). The
 * results are those of windowing each view's rows and combining them per key: the same windows,
 * values and timestamps.
 *
 * <p>Why not one Beam windowing and combine per view: the rows would fan out to each view (on
 * Flink's batch runner every consumer gets its own serialized copy), each combine would sort before
 * the shuffle what the bundle's hash tables have folded already, and a sliding view would shuffle a
 * copy of each slice per window. The slices travel in batches by bucket of groups ({@link
 * CombineInBuckets}), each group stamped with its earliest slice, so on the Direct runner what
 * follows the views, the alert rules' timers among them, sees each window's result before the
 * watermark passes the window's end.
 */
final class AggregateBoundedViews extends PTransform<PCollection<Row>, PCollection<ViewWindowResult>> {
  /** Slices one bundle may hold per view before the shuffle: about 100 MB of accumulators at most. */
  static final int MAX_SLICES_PER_BUNDLE = 200_000;

  private final List<ViewSpec> views;
  private final int maxSlices;

  AggregateBoundedViews(List<ViewSpec> views, int maxSlices) {
    this.views = List.copyOf(views);
    this.maxSlices = maxSlices;
  }

  static AggregateBoundedViews of(List<ViewSpec> views) {
    return new AggregateBoundedViews(views, MAX_SLICES_PER_BUNDLE);
  }

  @Override
  public PCollection<ViewWindowResult> expand(PCollection<Row> rows) {
    checkArgument(
        rows.isBounded() == PCollection.IsBounded.BOUNDED,
        "AggregateBoundedViews reads bounded rows; window and combine a stream per view (AggregateView)");
    Schema schema = rows.getSchema();
    views.forEach(view -> AggregateView.checkFields(view, schema));
    List<SlicedView> sliced = views.stream().map(view -> new SlicedView(view, schema)).toList();
    return rows.apply("FoldSlicesWithinBundle", ParDo.of(new SliceViewsWithinBundleFn(sliced, maxSlices)))
        .setCoder(KvCoder.of(new SliceGroup.Coder(), new ViewSlice.Coder()))
        .apply("GroupSlices", CombineInBuckets.<SliceGroup, ViewSlice, List<ViewSlice>, List<ViewSlice>>of(new CollectSlicesFn()))
        .setCoder(KvCoder.of(new SliceGroup.Coder(), ListCoder.of(new ViewSlice.Coder())))
        .apply("BuildWindows", ParDo.of(new BuildViewWindowsFn(sliced)))
        .setCoder(new ViewWindowResult.Coder());
  }
}
