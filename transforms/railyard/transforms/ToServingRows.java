package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import railyard.model.ServingRow;
import railyard.schema.ViewSpec;

/**
 * Turns each fired pane of a view into a serving row: the window's bounds, the metrics by name, the
 * pane's timing and index, and the layer that computed it. A metric with nothing to summarise (the
 * mean of no values) is left out of the row rather than written as a number.
 */
@AutoValue
public abstract class ToServingRows
    extends PTransform<PCollection<KV<String, ViewResult>>, PCollection<ServingRow>> {

  abstract @Nullable ViewSpec view();

  abstract @Nullable ServingRow.Layer layer();

  abstract Builder toBuilder();

  public static ToServingRows create() {
    return new AutoValue_ToServingRows.Builder().build();
  }

  public ToServingRows withView(ViewSpec view) {
    return toBuilder().setView(view).build();
  }

  /** {@code SPEED} for streaming results, {@code BATCH} for authoritative batch results. */
  public ToServingRows withLayer(ServingRow.Layer layer) {
    return toBuilder().setLayer(layer).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setView(ViewSpec view);

    abstract Builder setLayer(ServingRow.Layer layer);

    abstract ToServingRows build();
  }

  @Override
  public PCollection<ServingRow> expand(PCollection<KV<String, ViewResult>> results) {
    checkArgument(view() != null, "ToServingRows needs a view: call withView()");
    checkArgument(layer() != null, "ToServingRows needs a layer: call withLayer()");
    String[] names = view().metricNames().toArray(String[]::new);
    // A serving row carries its window in its fields, so rows leave the view's windowing: rows of
    // views with different windows can then flow into one sink.
    return results
        .apply("ToServingRows", ParDo.of(new ToRowFn(view().name(), names, layer())))
        .setCoder(ServingRow.ServingRowCoder.of())
        .apply("LeaveViewWindows", leaveViewWindows());
  }

  /**
   * The serving rows of views computed together on bounded input ({@link AggregateBoundedViews}),
   * made where each window is built: each window's result once, on time. They are in the global
   * window already, with the rows' windowing ({@link CombineInBuckets}), so they need none of
   * their own.
   */
  static BuildViewWindowsFn.Output<ServingRow> ofBoundedViews(
      List<ViewSpec> views, ServingRow.Layer layer) {
    return new BoundedRows(views, layer);
  }

  private static Window<ServingRow> leaveViewWindows() {
    return Window.<ServingRow>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .discardingFiredPanes();
  }

  /** A row of a view's window, or nothing for a pane of no events. */
  private static @Nullable ServingRow row(
      String view,
      String[] metricNames,
      String key,
      long windowStart,
      long windowEnd,
      ViewResult result,
      ServingRow.Layer layer,
      String timing,
      long paneIndex,
      long computedAt) {
    if (result.events() == 0) {
      return null;
    }
    double[] values = result.values();
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (int m = 0; m < metricNames.length; m++) {
      if (!Double.isNaN(values[m])) {
        metrics.put(metricNames[m], values[m]);
      }
    }
    return new ServingRow(
        view,
        key,
        windowStart,
        windowEnd,
        metrics,
        result.events(),
        layer,
        timing,
        paneIndex,
        computedAt);
  }

  /**
   * A runner that does not run the view's trigger (Flink's batch runner) fires each window once,
   * with all of its input, and marks the pane's timing {@code UNKNOWN}. That single pane is the
   * window's complete result, which every other runner calls {@code ON_TIME}; serving rows and
   * alert rules rely on that name.
   */
  static String timing(PaneInfo pane) {
    return pane.getTiming() == PaneInfo.Timing.UNKNOWN
        ? PaneInfo.Timing.ON_TIME.name()
        : pane.getTiming().name();
  }

  private static final class ToRowFn extends DoFn<KV<String, ViewResult>, ServingRow> {
    private final String view;
    private final String[] metricNames;
    private final ServingRow.Layer layer;
    private final Counter rows;

    ToRowFn(String view, String[] metricNames, ServingRow.Layer layer) {
      this.view = view;
      this.metricNames = metricNames;
      this.layer = layer;
      this.rows = RailyardMetrics.counter(RailyardMetrics.VIEW_ROWS + view);
    }

    @ProcessElement
    public void process(
        @Element KV<String, ViewResult> result,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<ServingRow> out) {
      // A pane of no events says nothing and would hide the window's real row. Flink's streaming
      // runner fires one such on-time pane per window after cleaning the window's state up.
      IntervalWindow interval = (IntervalWindow) window;
      ServingRow row =
          row(
              view,
              metricNames,
              result.getKey(),
              interval.start().getMillis(),
              interval.end().getMillis(),
              result.getValue(),
              layer,
              timing(pane),
              pane.getIndex(),
              System.currentTimeMillis());
      if (row != null) {
        rows.inc();
        out.output(row);
      }
    }
  }

  private static final class BoundedRows implements BuildViewWindowsFn.Output<ServingRow> {
    private final String[] views;
    private final String[][] metricNames;
    private final ServingRow.Layer layer;
    private final Counter[] rows;

    BoundedRows(List<ViewSpec> specs, ServingRow.Layer layer) {
      this.views = specs.stream().map(ViewSpec::name).toArray(String[]::new);
      this.metricNames =
          specs.stream().map(v -> v.metricNames().toArray(String[]::new)).toArray(String[][]::new);
      this.layer = layer;
      this.rows =
          specs.stream()
              .map(v -> RailyardMetrics.counter(RailyardMetrics.VIEW_ROWS + v.name()))
              .toArray(Counter[]::new);
    }

    @Override
    public @Nullable ServingRow of(
        int view, String key, long start, long end, ViewResult result, long builtAt) {
      return row(
          views[view],
          metricNames[view],
          key,
          start,
          end,
          result,
          layer,
          PaneInfo.Timing.ON_TIME.name(),
          0,
          builtAt);
    }

    /** Counted once a key's rows are out: tens of millions of rows with a million keys. */
    @Override
    public void made(int view, long windows) {
      rows[view].inc(windows);
    }
  }
}
