package railyard.transforms;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Folds a bundle's rows into one accumulator per key and time slice in a hash table, before the
 * windows are assigned and before the shuffle. Each accumulator leaves stamped with its slice's
 * start, so the view's fixed or sliding windowing then puts it in exactly the windows that hold
 * the whole slice ({@link railyard.schema.WindowSpec#slice()}): a sliding window's event is added
 * once, not once per window, and runners sort accumulators instead of rows.
 *
 * <p>Memory is bounded: once the table holds {@code maxEntries} groups, a row of a new group
 * leaves at once as an accumulator of its own. Used on bounded inputs only, where no row can be
 * late, so Beam's late-data accounting downstream still counts events, never accumulators.
 */
final class CombineSlicesWithinBundleFn extends DoFn<Row, KV<String, ViewAccumulator>> {
  private final ViewMetricsFn metrics;
  private final ViewKey key;
  private final long sliceMillis;
  private final int maxEntries;
  private transient Map<Slice, ViewAccumulator> slices;

  private record Slice(String key, long start) {}

  CombineSlicesWithinBundleFn(ViewMetricsFn metrics, ViewKey key, Duration slice, int maxEntries) {
    this.metrics = metrics;
    this.key = key;
    this.sliceMillis = slice.getMillis();
    this.maxEntries = maxEntries;
  }

  @StartBundle
  public void startBundle() {
    slices = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element Row row, @Timestamp Instant timestamp, OutputReceiver<KV<String, ViewAccumulator>> out) {
    long millis = timestamp.getMillis();
    Slice slice = new Slice(key.of(row), millis - Math.floorMod(millis, sliceMillis));
    ViewAccumulator acc = slices.get(slice);
    if (acc != null) {
      metrics.addInput(acc, row);
    } else if (slices.size() < maxEntries) {
      slices.put(slice, metrics.addInput(metrics.createAccumulator(), row));
    } else {
      out.outputWithTimestamp(
          KV.of(slice.key(), metrics.addInput(metrics.createAccumulator(), row)),
          new Instant(slice.start()));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    slices.forEach(
        (slice, acc) ->
            context.output(KV.of(slice.key(), acc), new Instant(slice.start()), GlobalWindow.INSTANCE));
    slices = null;
  }

  // A slice's start is at most one slice before any of its rows.
  @SuppressWarnings("deprecation")
  @Override
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(sliceMillis);
  }
}
