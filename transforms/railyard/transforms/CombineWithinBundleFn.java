package railyard.transforms;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Folds a bundle's rows into one accumulator per key and window in a hash table, before the
 * shuffle. Runners combine before the shuffle too, but by sorting the rows first; in batch a bundle
 * is often a whole partition, and hashing it costs a fraction of sorting it.
 *
 * <p>Memory is bounded: once the table holds {@code maxEntries} groups, a row of a new group
 * leaves at once as an accumulator of its own. Used on bounded inputs only, where no row can be
 * late, so Beam's late-data accounting downstream still counts events, never accumulators.
 */
final class CombineWithinBundleFn extends DoFn<Row, KV<String, ViewAccumulator>> {
  private final ViewMetricsFn metrics;
  private final ViewKey key;
  private final int maxEntries;
  private transient Map<Group, ViewAccumulator> groups;

  private record Group(String key, BoundedWindow window) {}

  CombineWithinBundleFn(ViewMetricsFn metrics, ViewKey key, int maxEntries) {
    this.metrics = metrics;
    this.key = key;
    this.maxEntries = maxEntries;
  }

  @StartBundle
  public void startBundle() {
    groups = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element Row row, BoundedWindow window, OutputReceiver<KV<String, ViewAccumulator>> out) {
    String groupKey = key.of(row);
    Group group = new Group(groupKey, window);
    ViewAccumulator acc = groups.get(group);
    if (acc != null) {
      metrics.addInput(acc, row);
    } else if (groups.size() < maxEntries) {
      groups.put(group, metrics.addInput(metrics.createAccumulator(), row));
    } else {
      out.output(KV.of(groupKey, metrics.addInput(metrics.createAccumulator(), row)));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    groups.forEach(
        (group, acc) -> {
          context.output(KV.of(group.key(), acc), group.window().maxTimestamp(), group.window());
        });
    groups = null;
  }
}
