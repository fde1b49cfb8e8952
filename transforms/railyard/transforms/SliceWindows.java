package railyard.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import railyard.schema.WindowSpec;

/**
 * The windows of a view that a key's slices make, as Beam's windows without an offset would be:
 * fixed and sliding windows start at each multiple of their period, and sessions run from a
 * slice's earliest event to its latest plus the gap, merged where they overlap. Used by {@link
 * ViewPanesFn} to fold the slices it keeps into the windows it fires.
 */
final class SliceWindows {
  /** A window by its bounds, {@code end} exclusive. */
  record Window(long start, long end) {
    /** The window's last instant, Beam's {@code maxTimestamp()}. */
    long last() {
      return end - 1;
    }

    boolean holds(long at) {
      return start <= at && at < end;
    }

    boolean overlaps(Window other) {
      return start < other.end && other.start < end;
    }
  }

  private SliceWindows() {}

  /**
   * The windows {@code slice} belongs to before any merging: each fixed or sliding window holding
   * its events (all of a slice's events fall in the same ones), or the session it starts.
   */
  static List<Window> of(SlicedView view, TableSlice slice) {
    if (view.kind() == WindowSpec.Kind.SESSION) {
      return List.of(new Window(slice.earliest(), slice.latest() + view.gap()));
    }
    long at = slice.earliest();
    long size = view.size();
    long period = view.period();
    List<Window> windows = new ArrayList<>();
    long latestStart = at - Math.floorMod(at, period);
    for (long start = latestStart; start > at - size; start -= period) {
      windows.add(new Window(start, start + size));
    }
    return windows;
  }

  /**
   * Every window the slices make, with the fold of the slices it holds (fresh accumulators: the
   * slices stay as they are), the view at {@code place} in the slices' table.
   */
  static Map<Window, ViewAccumulator> fold(SlicedView view, Iterable<TableSlice> slices, int place) {
    Map<Window, ViewAccumulator> windows = new LinkedHashMap<>();
    if (view.kind() != WindowSpec.Kind.SESSION) {
      for (TableSlice slice : slices) {
        for (Window window : of(view, slice)) {
          windows
              .computeIfAbsent(window, w -> view.metrics.createAccumulator())
              .merge(slice.accs()[place]);
        }
      }
      return windows;
    }
    List<TableSlice> inOrder =
        StreamSupport.stream(slices.spliterator(), false)
            .sorted(java.util.Comparator.comparingLong(TableSlice::earliest))
            .toList();
    ViewAccumulator session = null;
    long start = 0;
    long end = 0;
    for (TableSlice slice : inOrder) {
      if (session != null && slice.earliest() >= end) {
        windows.put(new Window(start, end), session);
        session = null;
      }
      if (session == null) {
        session = view.metrics.createAccumulator();
        start = slice.earliest();
        end = slice.latest() + view.gap();
      }
      session.merge(slice.accs()[place]);
      end = Math.max(end, slice.latest() + view.gap());
    }
    if (session != null) {
      windows.put(new Window(start, end), session);
    }
    return windows;
  }
}
