package railyard.transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Folds a bundle's rows into one accumulator per key and window in a hash table, before the
 * shuffle. Runners combine before the shuffle too, but by sorting the rows first; in batch a bundle
 * is often a whole partition, and hashing it costs a fraction of sorting it. Runners do not combine
 * before the shuffle at all for merging windows, so for sessions this step is the only one: a
 * key's overlapping windows merge here as the windowing would merge them later, and each merged
 * window leaves as one accumulator, which the runner's own merge then joins with other bundles'.
 *
 * <p>Memory is bounded: once the table holds {@code maxEntries} groups, a row of a new group
 * leaves at once as an accumulator of its own. Used on bounded inputs only, where no row can be
 * late, so Beam's late-data accounting downstream still counts events, never accumulators.
 */
final class CombineWithinBundleFn extends DoFn<Row, KV<String, ViewAccumulator>> {
  private final ViewMetricsFn metrics;
  private final ViewKey key;
  private final int maxEntries;
  private final boolean mergingWindows;
  private transient Map<Group, ViewAccumulator> groups;
  private transient Map<String, List<Session>> sessions;
  private transient int sessionCount;

  private record Group(String key, BoundedWindow window) {}

  private static final class Session {
    IntervalWindow window;
    final ViewAccumulator acc;

    Session(IntervalWindow window, ViewAccumulator acc) {
      this.window = window;
      this.acc = acc;
    }
  }

  CombineWithinBundleFn(ViewMetricsFn metrics, ViewKey key, int maxEntries, boolean mergingWindows) {
    this.metrics = metrics;
    this.key = key;
    this.maxEntries = maxEntries;
    this.mergingWindows = mergingWindows;
  }

  @StartBundle
  public void startBundle() {
    groups = new HashMap<>();
    sessions = new HashMap<>();
    sessionCount = 0;
  }

  @ProcessElement
  public void process(
      @Element Row row, BoundedWindow window, OutputReceiver<KV<String, ViewAccumulator>> out) {
    String groupKey = key.of(row);
    if (mergingWindows) {
      addToSession(groupKey, (IntervalWindow) window, row, out);
      return;
    }
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

  /**
   * Joins the row's window with every window of its key it overlaps. The key's windows never
   * overlap one another, so a window overlapping the joined span overlaps one of its parts: one
   * pass finds them all.
   */
  private void addToSession(
      String groupKey, IntervalWindow window, Row row, OutputReceiver<KV<String, ViewAccumulator>> out) {
    List<Session> open = sessions.computeIfAbsent(groupKey, k -> new ArrayList<>(1));
    Session joined = null;
    for (Iterator<Session> it = open.iterator(); it.hasNext(); ) {
      Session session = it.next();
      if (!session.window.intersects(window)) {
        continue;
      }
      if (joined == null) {
        joined = session;
        joined.window = joined.window.span(window);
      } else {
        joined.window = joined.window.span(session.window);
        joined.acc.merge(session.acc);
        it.remove();
        sessionCount--;
      }
    }
    if (joined != null) {
      metrics.addInput(joined.acc, row);
    } else if (sessionCount < maxEntries) {
      open.add(new Session(window, metrics.addInput(metrics.createAccumulator(), row)));
      sessionCount++;
    } else {
      out.output(KV.of(groupKey, metrics.addInput(metrics.createAccumulator(), row)));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    groups.forEach(
        (group, acc) ->
            context.output(KV.of(group.key(), acc), group.window().maxTimestamp(), group.window()));
    sessions.forEach(
        (groupKey, open) -> {
          for (Session session : open) {
            context.output(KV.of(groupKey, session.acc), session.window.maxTimestamp(), session.window);
          }
        });
    groups = null;
    sessions = null;
  }
}
