package railyard.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import railyard.transforms.SliceTable.Slice;

/**
 * Folds a bundle's rows, for every view at once, into one accumulator per view, key and time slice
 * in hash tables, and sends each slice to its groups ({@link SlicedView#forEachGroup}) when the
 * bundle ends. One pass serves all views: a row is read, and its key built, once rather than once
 * per view, and no copy of the rows fans out to the views.
 *
 * <p>Views that group by the same fields into slices of the same length (a 1-minute fixed view and
 * a 5-minute view sliding by the minute) share one table, whose entries hold an accumulator per
 * view: a lookup in a table of many slices misses the CPU's caches, and rows come in bucket order
 * after the dedupe's shuffle, not in time order, so that lookup is most of the folding's cost.
 *
 * <p>Memory is bounded: once a table holds {@code maxSlices} slices, a row of a new slice leaves
 * at once as slices of its own, and a table that folded too few rows by then takes none at all
 * ({@link SliceTable}). Used on bounded inputs only, where no row can be late.
 */
final class SliceViewsWithinBundleFn extends DoFn<Row, KV<SliceGroup, ViewSlice>> {
  private final List<SlicedView> views;
  private final int maxSlices;
  /** The distinct keys of the views. */
  private final List<ViewKey> keys = new ArrayList<>();
  /** The tables: each one's key (a position in {@link #keys}), slice length and views. */
  private final int[] keyOfTable;
  private final long[] sliceOfTable;
  private final int[][] viewsOfTable;

  private transient List<SliceTable<Partial>> tables;

  /** A slice's accumulators so far, one per view of its table, and its earliest and latest rows. */
  private static final class Partial {
    final ViewAccumulator[] accs;
    long earliest;
    long latest;

    Partial(int views, long at) {
      this.accs = new ViewAccumulator[views];
      this.earliest = at;
      this.latest = at;
    }
  }

  /** Views share a table when they group by the same key and slice time alike. */
  private record TableOf(int key, long slice) {}

  SliceViewsWithinBundleFn(List<SlicedView> views, int maxSlices) {
    this.views = List.copyOf(views);
    this.maxSlices = maxSlices;
    Map<TableOf, List<Integer>> viewsByTable = new LinkedHashMap<>();
    for (int v = 0; v < views.size(); v++) {
      SlicedView view = views.get(v);
      if (!keys.contains(view.key)) {
        keys.add(view.key);
      }
      viewsByTable
          .computeIfAbsent(new TableOf(keys.indexOf(view.key), view.sliceMillis()), t -> new ArrayList<>())
          .add(v);
    }
    List<TableOf> shared = List.copyOf(viewsByTable.keySet());
    keyOfTable = shared.stream().mapToInt(TableOf::key).toArray();
    sliceOfTable = shared.stream().mapToLong(TableOf::slice).toArray();
    viewsOfTable =
        viewsByTable.values().stream()
            .map(tableViews -> tableViews.stream().mapToInt(Integer::intValue).toArray())
            .toArray(int[][]::new);
  }

  @StartBundle
  public void startBundle() {
    tables = new ArrayList<>();
    for (int t = 0; t < keyOfTable.length; t++) {
      tables.add(new SliceTable<>(maxSlices));
    }
  }

  @ProcessElement
  public void process(
      @Element Row row, @Timestamp Instant timestamp, OutputReceiver<KV<SliceGroup, ViewSlice>> out) {
    long at = timestamp.getMillis();
    // A row's key string serves all its tables: hashed once, as a String caches its hash.
    String[] rowKeys = new String[keys.size()];
    for (int k = 0; k < rowKeys.length; k++) {
      rowKeys[k] = keys.get(k).of(row);
    }
    for (int t = 0; t < keyOfTable.length; t++) {
      Slice slice = new Slice(rowKeys[keyOfTable[t]], at - Math.floorMod(at, sliceOfTable[t]));
      int[] tableViews = viewsOfTable[t];
      SliceTable<Partial> table = tables.get(t);
      Partial partial = table.find(slice);
      if (partial != null) {
        for (int i = 0; i < tableViews.length; i++) {
          views.get(tableViews[i]).metrics.addInput(partial.accs[i], row);
        }
        partial.earliest = Math.min(partial.earliest, at);
        partial.latest = Math.max(partial.latest, at);
        continue;
      }
      partial = new Partial(tableViews.length, at);
      for (int i = 0; i < tableViews.length; i++) {
        ViewMetricsFn metrics = views.get(tableViews[i]).metrics;
        partial.accs[i] = metrics.addInput(metrics.createAccumulator(), row);
      }
      if (!table.keep(slice, partial)) {
        send(t, slice, partial, out::output);
      }
    }
  }

  /** Hands each view's slice to {@code out} once for each group of the view it joins. */
  private void send(
      int table, Slice slice, Partial partial, Consumer<KV<SliceGroup, ViewSlice>> out) {
    int[] tableViews = viewsOfTable[table];
    for (int i = 0; i < tableViews.length; i++) {
      int v = tableViews[i];
      ViewSlice folded = new ViewSlice(partial.earliest, partial.latest, partial.accs[i]);
      views.get(v).forEachGroup(
          slice.start(), group -> out.accept(KV.of(new SliceGroup(v, slice.key(), group), folded)));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (int t = 0; t < tables.size(); t++) {
      int table = t;
      tables
          .get(t)
          .forEach(
              (slice, partial) -> {
                Instant earliest = new Instant(partial.earliest);
                send(
                    table,
                    slice,
                    partial,
                    grouped -> context.output(grouped, earliest, GlobalWindow.INSTANCE));
              });
    }
    tables = null;
  }
}
