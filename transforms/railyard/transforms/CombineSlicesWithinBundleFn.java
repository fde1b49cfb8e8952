package railyard.transforms;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import railyard.schema.WindowSpec;

/**
 * Folds a bundle's rows into one accumulator per view, key and time slice in hash tables, before
 * the views' windows are assigned and before the shuffle ({@link WindowSpec#slice()}). The runner
 * then windows, sorts and shuffles accumulators instead of rows, and a sliding window's row is
 * added once, not once per window. Every view is folded in the same pass, so the rows are read
 * once whatever the number of views, and each view's accumulators leave on its own output.
 *
 * <p>Each slice's accumulator leaves stamped with the time of its earliest row, which lies in
 * exactly the fixed or sliding windows that hold the whole slice. A session slice stands for the
 * session windows of its rows, whose union runs from its earliest row to its latest row plus the
 * gap: it leaves as its accumulator at the earliest row's time and an empty accumulator at the
 * latest row's, so the view's session windowing gives two windows of the ordinary length that
 * overlap and cover that union, and merges exactly what the rows' own windows would have merged.
 * (Windows of one length matter: Flink's batch runner merges sessions in one pass sorted by window
 * end, which is right only when they all have the same length.)
 *
 * <p>Stamping at the earliest row keeps every accumulator at or after the watermark its rows held,
 * so none is late where its rows were not. Memory is bounded: once a view's table holds {@code
 * maxEntries} slices, a row of a new slice leaves at once as an accumulator of its own. Used on
 * bounded inputs only, where no row can be late, so Beam's late-data accounting downstream still
 * counts events, never accumulators.
 */
final class CombineSlicesWithinBundleFn extends DoFn<Row, KV<String, ViewAccumulator>> {

  /** One view's part of the fold: how it keys, slices and measures rows, and where it goes. */
  static final class ViewFold implements java.io.Serializable {
    final TupleTag<KV<String, ViewAccumulator>> output;
    final ViewMetricsFn metrics;
    final ViewKey key;
    final long sliceMillis;
    final boolean sessions;

    ViewFold(
        TupleTag<KV<String, ViewAccumulator>> output,
        ViewMetricsFn metrics,
        ViewKey key,
        WindowSpec window) {
      this.output = output;
      this.metrics = metrics;
      this.key = key;
      this.sliceMillis = window.slice().getMillis();
      this.sessions = window.merging();
    }
  }

  private record Slice(String key, long start) {}

  /** A slice's accumulator and the times of its earliest and latest rows. */
  private static final class Partial {
    final ViewAccumulator acc;
    long earliest;
    long latest;

    Partial(ViewAccumulator acc, long at) {
      this.acc = acc;
      this.earliest = at;
      this.latest = at;
    }
  }

  private final List<ViewFold> folds;
  private final int maxEntries;
  private transient List<Map<Slice, Partial>> tables;

  CombineSlicesWithinBundleFn(List<ViewFold> folds, int maxEntries) {
    this.folds = List.copyOf(folds);
    this.maxEntries = maxEntries;
  }

  @StartBundle
  public void startBundle() {
    tables = folds.stream().<Map<Slice, Partial>>map(fold -> new HashMap<>()).toList();
  }

  @ProcessElement
  public void process(@Element Row row, @Timestamp Instant timestamp, MultiOutputReceiver out) {
    long at = timestamp.getMillis();
    for (int i = 0; i < folds.size(); i++) {
      ViewFold fold = folds.get(i);
      Map<Slice, Partial> slices = tables.get(i);
      Slice slice = new Slice(fold.key.of(row), at - Math.floorMod(at, fold.sliceMillis));
      Partial partial = slices.get(slice);
      if (partial != null) {
        fold.metrics.addInput(partial.acc, row);
        partial.earliest = Math.min(partial.earliest, at);
        partial.latest = Math.max(partial.latest, at);
      } else if (slices.size() < maxEntries) {
        slices.put(slice, new Partial(fold.metrics.addInput(fold.metrics.createAccumulator(), row), at));
      } else {
        out.get(fold.output)
            .output(KV.of(slice.key(), fold.metrics.addInput(fold.metrics.createAccumulator(), row)));
      }
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (int i = 0; i < folds.size(); i++) {
      ViewFold fold = folds.get(i);
      tables.get(i).forEach(
          (slice, partial) -> {
            context.output(
                fold.output,
                KV.of(slice.key(), partial.acc),
                new Instant(partial.earliest),
                GlobalWindow.INSTANCE);
            if (fold.sessions && partial.latest > partial.earliest) {
              context.output(
                  fold.output,
                  KV.of(slice.key(), fold.metrics.createAccumulator()),
                  new Instant(partial.latest),
                  GlobalWindow.INSTANCE);
            }
          });
    }
    tables = null;
  }
}
