package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.Collection;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.WindowingStrategy;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;

/**
 * Windows rows as a view declares, groups them by its group-by fields and computes its metrics,
 * each pane in its window. In both modes rows fold by time slice in hash tables within each
 * bundle ({@link SliceViewsWithinBundleFn}), and only slices cross the shuffle; the windows are
 * built from them after it. On a stream each key keeps its live windows' folds in state and fires
 * the view's early, on-time and late panes from them ({@link ViewPanesFn}); on bounded input all of a
 * key's slices are grouped once and each window's result, put back into its window, is its one
 * on-time pane ({@link AggregateBoundedViews}).
 */
@AutoValue
public abstract class AggregateView
    extends PTransform<PCollection<Row>, PCollection<KV<String, ViewResult>>> {
  abstract @Nullable ViewSpec view();

  abstract Builder toBuilder();

  public static AggregateView create() {
    return new AutoValue_AggregateView.Builder().build();
  }

  public AggregateView withView(ViewSpec view) {
    return toBuilder().setView(view).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setView(ViewSpec view);

    abstract AggregateView build();
  }

  @Override
  public PCollection<KV<String, ViewResult>> expand(PCollection<Row> rows) {
    checkArgument(view() != null, "AggregateView needs a view: call withView()");
    checkArgument(view().sql() == null, "view %s is an SQL view: compute it with SqlView", view().name());
    checkFields(view(), rows.getSchema());
    // The one branch on boundedness, after the slicing both modes share: a bounded input's
    // watermark passes every window only at its end, so its slices are grouped once, by bucket of
    // keys (CombineInBuckets, which needs a bounded input), instead of kept in state for timers.
    PCollection<KV<String, ViewResult>> results =
        rows.isBounded() == PCollection.IsBounded.BOUNDED
            ? rows.apply("Slices", AggregateBoundedViews.of(List.of(view())))
                .apply("IntoTheirWindows", Window.into(new WindowOfResult()))
                .apply(
                    "ByKey",
                    MapElements.into(
                            TypeDescriptors.kvs(
                                TypeDescriptors.strings(), TypeDescriptor.of(ViewResult.class)))
                        .via(result -> KV.of(result.key(), result.result())))
            : paneStream(rows);
    return results.setCoder(KvCoder.of(StringUtf8Coder.of(), new ViewResult.Coder()));
  }

  /** A stream's panes, from slices kept in state ({@link AggregateStreamViews}). */
  private PCollection<KV<String, ViewResult>> paneStream(PCollection<Row> rows) {
    return rows.apply("Panes", AggregateStreamViews.of(List.of(view())))
        .get(AggregateStreamViews.panesOf(view()));
  }

  /** Fails with a clear message when a view groups by or measures a field the rows lack. */
  static void checkFields(ViewSpec view, Schema schema) {
    for (String field : view.groupBy()) {
      checkArgument(schema.hasField(field), "view %s groups by unknown field '%s'", view.name(), field);
    }
    for (MetricSpec metric : view.metrics()) {
      checkArgument(
          metric.field() == null || schema.hasField(metric.field()),
          "view %s: metric %s reads unknown field '%s'",
          view.name(),
          metric.name(),
          metric.field());
    }
  }

  /** Puts a bounded view's result into the window it was computed for. */
  private static final class WindowOfResult extends NonMergingWindowFn<ViewWindowResult, IntervalWindow> {
    @Override
    public Collection<IntervalWindow> assignWindows(AssignContext context) {
      return List.of(context.element().window());
    }

    @Override
    public boolean isCompatible(WindowFn<?, ?> other) {
      return other instanceof WindowOfResult;
    }

    @Override
    public Coder<IntervalWindow> windowCoder() {
      return IntervalWindow.getCoder();
    }

    @Override
    public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
      throw new UnsupportedOperationException("a view's results are no side input");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WindowOfResult;
    }

    @Override
    public int hashCode() {
      return WindowOfResult.class.hashCode();
    }
  }
}
