package railyard.transforms;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import railyard.schema.WindowSpec;

/**
 * Folds a bundle's rows into one accumulator per key and time slice in a hash table, before the
 * view's windows are assigned and before the shuffle ({@link WindowSpec#slice()}). The runner then
 * windows, sorts and shuffles accumulators instead of rows, and a sliding window's row is added
 * once, not once per window.
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
 * so none is late where its rows were not. Memory is bounded: once the table holds {@code
 * maxEntries} slices, a row of a new slice leaves at once as an accumulator of its own. Used on
 * bounded inputs only, where no row can be late, so Beam's late-data accounting downstream still
 * counts events, never accumulators.
 */
final class CombineSlicesWithinBundleFn extends DoFn<Row, KV<String, ViewAccumulator>> {
  private final ViewMetricsFn metrics;
  private final ViewKey key;
  private final long sliceMillis;
  private final boolean sessions;
  private final int maxEntries;
  private transient Map<Slice, Partial> slices;

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

  CombineSlicesWithinBundleFn(ViewMetricsFn metrics, ViewKey key, WindowSpec window, int maxEntries) {
    this.metrics = metrics;
    this.key = key;
    this.sliceMillis = window.slice().getMillis();
    this.sessions = window.merging();
    this.maxEntries = maxEntries;
  }

  @StartBundle
  public void startBundle() {
    slices = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element Row row, @Timestamp Instant timestamp, OutputReceiver<KV<String, ViewAccumulator>> out) {
    long at = timestamp.getMillis();
    Slice slice = new Slice(key.of(row), at - Math.floorMod(at, sliceMillis));
    Partial partial = slices.get(slice);
    if (partial != null) {
      metrics.addInput(partial.acc, row);
      partial.earliest = Math.min(partial.earliest, at);
      partial.latest = Math.max(partial.latest, at);
    } else if (slices.size() < maxEntries) {
      slices.put(slice, new Partial(metrics.addInput(metrics.createAccumulator(), row), at));
    } else {
      out.output(KV.of(slice.key(), metrics.addInput(metrics.createAccumulator(), row)));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    slices.forEach(
        (slice, partial) -> {
          context.output(
              KV.of(slice.key(), partial.acc), new Instant(partial.earliest), GlobalWindow.INSTANCE);
          if (sessions && partial.latest > partial.earliest) {
            context.output(
                KV.of(slice.key(), metrics.createAccumulator()),
                new Instant(partial.latest),
                GlobalWindow.INSTANCE);
          }
        });
    slices = null;
  }
}
