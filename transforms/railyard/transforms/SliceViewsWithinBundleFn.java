package railyard.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import railyard.transforms.SliceTable.Slice;

/**
 * Folds a bundle's rows, for every view at once, into one slice per table, key and stretch of time
 * in hash tables ({@link ViewTables}), and sends each slice, with an accumulator per view of its
 * table, to its key's group when the bundle ends. One pass serves all views: a row is read, and its
 * key built, once rather than once per view, and no copy of the rows fans out to the views.
 *
 * <p>Views that group by the same fields and slice time alike share one table: a lookup in a table
 * of many slices misses the CPU's caches, and rows come in bucket order after the dedupe's shuffle,
 * not in time order, so that lookup is most of the folding's cost.
 *
 * <p>Memory is bounded: once a table holds {@code maxSlices} slices, a row of a new slice leaves
 * at once as a slice of its own, and a table that folded too few rows by then takes none at all
 * ({@link SliceTable}). On a stream a slice may be late; what receives it after the shuffle judges
 * that ({@link ViewPanesFn}).
 */
final class SliceViewsWithinBundleFn extends DoFn<Row, KV<SliceGroup, TableSlice>> {
  private final ViewTables layout;
  private final int maxSlices;

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

  SliceViewsWithinBundleFn(ViewTables layout, int maxSlices) {
    this.layout = layout;
    this.maxSlices = maxSlices;
  }

  @StartBundle
  public void startBundle() {
    tables = new ArrayList<>();
    for (int t = 0; t < layout.tables(); t++) {
      tables.add(new SliceTable<>(maxSlices));
    }
  }

  @ProcessElement
  public void process(
      @Element Row row, @Timestamp Instant timestamp, OutputReceiver<KV<SliceGroup, TableSlice>> out) {
    long at = timestamp.getMillis();
    // A row's key string serves all its tables: hashed once, as a String caches its hash.
    String[] rowKeys = new String[layout.keys.size()];
    for (int k = 0; k < rowKeys.length; k++) {
      rowKeys[k] = layout.keys.get(k).of(row);
    }
    for (int t = 0; t < tables.size(); t++) {
      long sliceLength = layout.sliceOfTable[t];
      Slice slice = new Slice(rowKeys[layout.keyOfTable[t]], at - Math.floorMod(at, sliceLength));
      int[] tableViews = layout.viewsOfTable[t];
      SliceTable<Partial> table = tables.get(t);
      Partial partial = table.find(slice);
      if (partial != null) {
        for (int i = 0; i < tableViews.length; i++) {
          layout.views.get(tableViews[i]).metrics.addInput(partial.accs[i], row);
        }
        partial.earliest = Math.min(partial.earliest, at);
        partial.latest = Math.max(partial.latest, at);
        continue;
      }
      partial = new Partial(tableViews.length, at);
      for (int i = 0; i < tableViews.length; i++) {
        ViewMetricsFn metrics = layout.views.get(tableViews[i]).metrics;
        partial.accs[i] = metrics.addInput(metrics.createAccumulator(), row);
      }
      if (!table.keep(slice, partial)) {
        out.output(grouped(t, slice, partial));
      }
    }
  }

  /** The slice on its way to its key's group. */
  private KV<SliceGroup, TableSlice> grouped(int table, Slice slice, Partial partial) {
    return KV.of(
        new SliceGroup(layout.keyOfTable[table], slice.key()),
        new TableSlice(table, partial.earliest, partial.latest, partial.accs));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (int t = 0; t < tables.size(); t++) {
      int table = t;
      tables
          .get(t)
          .forEach(
              (slice, partial) ->
                  context.output(
                      grouped(table, slice, partial),
                      new Instant(partial.earliest),
                      GlobalWindow.INSTANCE));
    }
    tables = null;
  }
}
