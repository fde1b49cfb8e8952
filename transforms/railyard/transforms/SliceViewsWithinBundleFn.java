package railyard.transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Folds a bundle's rows, for every view at once, into one accumulator per view, key and time slice
 * in hash tables, and sends each slice to its groups ({@link SlicedView#forEachGroup}) when the
 * bundle ends. One pass serves all views: a row is read, and its key built, once rather than once
 * per view, and no copy of the rows fans out to the views.
 *
 * <p>Memory is bounded: once a view's table holds {@code maxSlices} slices, a row of a new slice
 * leaves at once as a slice of its own. Used on bounded inputs only, where no row can be late.
 */
final class SliceViewsWithinBundleFn extends DoFn<Row, KV<SliceGroup, ViewSlice>> {
  private final List<SlicedView> views;
  private final int maxSlices;
  /** The distinct keys of the views, and which of them each view uses. */
  private final List<ViewKey> keys = new ArrayList<>();
  private final int[] keyOfView;

  private transient List<Map<Slice, Partial>> tables;
  /**
   * One instance of each key string seen in the bundle, so the tables compare keys by identity and
   * hash each once, rather than comparing the characters of each row's own copy in every table.
   */
  private transient Map<String, String> sameKeys;

  private record Slice(String key, long start) {}

  /** A slice's accumulator so far and the times of its earliest and latest rows. */
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

  SliceViewsWithinBundleFn(List<SlicedView> views, int maxSlices) {
    this.views = List.copyOf(views);
    this.maxSlices = maxSlices;
    this.keyOfView = new int[views.size()];
    for (int v = 0; v < views.size(); v++) {
      ViewKey key = views.get(v).key;
      if (!keys.contains(key)) {
        keys.add(key);
      }
      keyOfView[v] = keys.indexOf(key);
    }
  }

  @StartBundle
  public void startBundle() {
    tables = new ArrayList<>();
    views.forEach(view -> tables.add(new HashMap<>()));
    sameKeys = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element Row row, @Timestamp Instant timestamp, OutputReceiver<KV<SliceGroup, ViewSlice>> out) {
    long at = timestamp.getMillis();
    String[] rowKeys = new String[keys.size()];
    for (int k = 0; k < rowKeys.length; k++) {
      rowKeys[k] = sameKey(keys.get(k).of(row));
    }
    for (int v = 0; v < views.size(); v++) {
      SlicedView view = views.get(v);
      Slice slice = new Slice(rowKeys[keyOfView[v]], view.sliceStart(at));
      Map<Slice, Partial> table = tables.get(v);
      Partial partial = table.get(slice);
      if (partial != null) {
        view.metrics.addInput(partial.acc, row);
        partial.earliest = Math.min(partial.earliest, at);
        partial.latest = Math.max(partial.latest, at);
      } else if (table.size() < maxSlices) {
        table.put(slice, new Partial(view.metrics.addInput(view.metrics.createAccumulator(), row), at));
      } else {
        ViewSlice alone = new ViewSlice(at, at, view.metrics.addInput(view.metrics.createAccumulator(), row));
        send(v, slice, alone, out::output);
      }
    }
  }

  /** Hands {@code folded} to {@code out} once for each group of view {@code v} its slice joins. */
  private void send(
      int v, Slice slice, ViewSlice folded, Consumer<KV<SliceGroup, ViewSlice>> out) {
    views.get(v).forEachGroup(
        slice.start(), group -> out.accept(KV.of(new SliceGroup(v, slice.key(), group), folded)));
  }

  private String sameKey(String key) {
    String same = sameKeys.putIfAbsent(key, key);
    if (sameKeys.size() > maxSlices) {
      sameKeys.clear(); // a bound on memory: keys still compare equal, if more slowly
    }
    return same == null ? key : same;
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (int v = 0; v < views.size(); v++) {
      int view = v;
      tables
          .get(v)
          .forEach(
              (slice, partial) -> {
                Instant earliest = new Instant(partial.earliest);
                send(
                    view,
                    slice,
                    new ViewSlice(partial.earliest, partial.latest, partial.acc),
                    grouped -> context.output(grouped, earliest, GlobalWindow.INSTANCE));
              });
    }
    tables = null;
    sameKeys = null;
  }
}
