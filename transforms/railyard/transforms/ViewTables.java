package railyard.transforms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How bounded views computed together share work ({@link AggregateBoundedViews}): views that group
 * by the same fields share a key, built once per row, and views that also cut time into slices of
 * the same length (a 1-minute fixed view and a 5-minute view sliding by the minute) share a table,
 * whose slices hold an accumulator per view.
 */
final class ViewTables implements Serializable {
  final List<SlicedView> views;
  /** The distinct keys of the views. */
  final List<ViewKey> keys = new ArrayList<>();
  /** Per table: its key (a position in {@link #keys}), its slice length and its views. */
  final int[] keyOfTable;
  final long[] sliceOfTable;
  final int[][] viewsOfTable;
  /** Per view: its table, and its place among that table's views. */
  final int[] tableOfView;
  final int[] placeInTable;

  /** Views share a table when they group by the same key and slice time alike. */
  private record TableOf(int key, long slice) {}

  ViewTables(List<SlicedView> views) {
    this.views = List.copyOf(views);
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
    List<TableOf> tables = List.copyOf(viewsByTable.keySet());
    keyOfTable = tables.stream().mapToInt(TableOf::key).toArray();
    sliceOfTable = tables.stream().mapToLong(TableOf::slice).toArray();
    viewsOfTable =
        viewsByTable.values().stream()
            .map(tableViews -> tableViews.stream().mapToInt(Integer::intValue).toArray())
            .toArray(int[][]::new);
    tableOfView = new int[views.size()];
    placeInTable = new int[views.size()];
    for (int t = 0; t < viewsOfTable.length; t++) {
      for (int i = 0; i < viewsOfTable[t].length; i++) {
        tableOfView[viewsOfTable[t][i]] = t;
        placeInTable[viewsOfTable[t][i]] = i;
      }
    }
  }

  int tables() {
    return keyOfTable.length;
  }
}
