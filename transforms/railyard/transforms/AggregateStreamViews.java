package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.WindowingStrategy;
import railyard.schema.ViewSpec;

/**
 * A stream's metrics views computed together: one pass folds the rows into per-key slices of
 * every view within each bundle ({@link SliceViewsWithinBundleFn}), one shuffle carries the
 * slices, and one stateful step per key ({@link ViewPanesFn}) keeps the live windows of every view
 * that groups by the key's fields and fires their panes. Each view's panes are an output of their
 * own ({@link #panesOf}), in their windows, as after Beam's own combine. The views share their
 * early firing.
 */
final class AggregateStreamViews extends PTransform<PCollection<Row>, PCollectionTuple> {
  private final List<ViewSpec> views;

  private AggregateStreamViews(List<ViewSpec> views) {
    this.views = List.copyOf(views);
  }

  static AggregateStreamViews of(List<ViewSpec> views) {
    return new AggregateStreamViews(views);
  }

  /** Where the output holds {@code view}'s panes. */
  static TupleTag<KV<String, ViewResult>> panesOf(ViewSpec view) {
    return new TupleTag<>("panes of " + view.name());
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> rows) {
    checkArgument(!views.isEmpty(), "AggregateStreamViews needs at least one view");
    for (ViewSpec view : views) {
      checkArgument(view.sql() == null, "view %s is an SQL view: compute it with SqlView", view.name());
      AggregateView.checkFields(view, rows.getSchema());
    }
    ViewTables layout =
        new ViewTables(views.stream().map(view -> new SlicedView(view, rows.getSchema())).toList());
    List<TupleTag<KV<String, ViewResult>>> tags =
        views.stream().map(AggregateStreamViews::panesOf).toList();
    PCollectionTuple panes =
        rows.apply(
                "FoldSlicesWithinBundle",
                ParDo.of(
                    new SliceViewsWithinBundleFn(layout, AggregateBoundedViews.MAX_SLICES_PER_BUNDLE)))
            .setCoder(KvCoder.of(new SliceGroup.Coder(), new TableSlice.Coder()))
            .apply(
                "Panes",
                ParDo.of(new ViewPanesFn(views, layout, tags))
                    .withOutputTags(tags.get(0), TupleTagList.of(List.copyOf(tags.subList(1, tags.size())))));
    for (ViewSpec view : views) {
      // A late pane carries its window's last instant, behind the watermark: what follows keeps it
      // as long as the view keeps its windows, as after Beam's own combine.
      panes
          .get(panesOf(view))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), new ViewResult.Coder()))
          .setWindowingStrategyInternal(
              WindowingStrategy.of(new PaneWindows())
                  .withAllowedLateness(view.allowedLateness())
                  .withMode(WindowingStrategy.AccumulationMode.ACCUMULATING_FIRED_PANES));
    }
    return panes;
  }
}
