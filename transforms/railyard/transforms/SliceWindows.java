package railyard.transforms;

import java.util.ArrayList;
import java.util.List;
import railyard.schema.WindowSpec;

/**
 * The windows of a view that a key's slices make, as Beam's windows without an offset would be:
 * fixed and sliding windows start at each multiple of their period, and sessions run from a
 * slice's earliest event to its latest plus the gap, merged where they overlap ({@link
 * LiveWindows#mergeSessions}). Used by {@link ViewPanesFn} to fold each slice into its windows.
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
}
