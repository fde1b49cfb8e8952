package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import railyard.transforms.SliceWindows.Window;

/**
 * All that {@link ViewPanesFn} keeps of one key: its live windows, of every view that groups by
 * the key's fields, each with the fold of every slice it holds so far, how many panes it fired, how many of them were not early (an on-time or
 * late pane closes the window to early panes) and whether slices came in since its last pane; and
 * the timers it set. A slice is folded into its windows as it comes in, so a pane is read, never
 * recomputed, and what is kept grows with a key's live windows, not with its events or slices. A
 * window leaves when its allowed lateness runs out.
 */
final class LiveWindows {
  /** One live window: its fold so far and its panes. */
  static final class Entry {
    /** The view's place among those {@link ViewPanesFn} computes. */
    final int view;
    final Window window;
    final ViewAccumulator acc;
    int panes;
    int nonEarly;
    boolean dirty;

    Entry(int view, Window window, ViewAccumulator acc, int panes, int nonEarly, boolean dirty) {
      this.view = view;
      this.window = window;
      this.acc = acc;
      this.panes = panes;
      this.nonEarly = nonEarly;
      this.dirty = dirty;
    }

    /** Whether the window fired on time, or late, already: its next pane is late. */
    boolean closed() {
      return nonEarly > 0;
    }
  }

  /** No timer set. */
  static final long UNSET = Long.MIN_VALUE;

  final List<Entry> entries;
  /** Whether an early firing is pending. */
  boolean earlyPending;
  /** When the key's timer is set for, or {@link #UNSET}: it is not set again, and keeps its hold. */
  long timerAt = UNSET;
  /** Whether that timer holds the output watermark (an on-time pane is due). */
  boolean timerHolds;

  LiveWindows(List<Entry> entries) {
    this.entries = entries;
  }

  static LiveWindows empty() {
    return new LiveWindows(new ArrayList<>());
  }

  /** The entry of {@code view}'s fixed or sliding {@code window}, or null. */
  Entry get(int view, Window window) {
    for (Entry entry : entries) {
      if (entry.view == view && entry.window.equals(window)) {
        return entry;
      }
    }
    return null;
  }

  /** A new entry for {@code view}'s {@code window}, its fold {@code empty}. */
  Entry add(int view, Window window, ViewAccumulator empty) {
    Entry entry = new Entry(view, window, empty, 0, 0, false);
    entries.add(entry);
    return entry;
  }

  /**
   * The session {@code window} makes with every live session of {@code view} it overlaps: one
   * entry spanning them all, their folds merged and their pane counts kept (the most of any), in
   * their place; null when it overlaps none.
   */
  Entry mergeSessions(int view, Window window) {
    Entry merged = null;
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry entry = entries.get(i);
      if (entry.view != view || !entry.window.overlaps(window)) {
        continue;
      }
      entries.remove(i);
      if (merged == null) {
        merged = entry;
        continue;
      }
      merged.acc.merge(entry.acc);
      merged =
          new Entry(
              view,
              span(merged.window, entry.window),
              merged.acc,
              Math.max(merged.panes, entry.panes),
              Math.max(merged.nonEarly, entry.nonEarly),
              merged.dirty || entry.dirty);
    }
    if (merged == null) {
      return null;
    }
    Entry result =
        new Entry(
            view, span(merged.window, window), merged.acc, merged.panes, merged.nonEarly, merged.dirty);
    entries.add(result);
    return result;
  }

  private static Window span(Window a, Window b) {
    return new Window(Math.min(a.start(), b.start()), Math.max(a.end(), b.end()));
  }

  static final class Coder extends SettingsFreeCoder<LiveWindows> {
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final BooleanCoder BOOL = BooleanCoder.of();
    private static final ViewAccumulator.Coder ACC = new ViewAccumulator.Coder();

    @Override
    public void encode(LiveWindows live, OutputStream out) throws IOException {
      INT.encode(live.entries.size(), out);
      for (Entry entry : live.entries) {
        INT.encode(entry.view, out);
        LONG.encode(entry.window.start(), out);
        LONG.encode(entry.window.end() - entry.window.start(), out);
        ACC.encode(entry.acc, out);
        INT.encode(entry.panes, out);
        INT.encode(entry.nonEarly, out);
        BOOL.encode(entry.dirty, out);
      }
      BOOL.encode(live.earlyPending, out);
      LONG.encode(live.timerAt, out);
      BOOL.encode(live.timerHolds, out);
    }

    @Override
    public LiveWindows decode(InputStream in) throws IOException {
      int size = INT.decode(in);
      List<Entry> entries = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        int view = INT.decode(in);
        long start = LONG.decode(in);
        Window window = new Window(start, start + LONG.decode(in));
        entries.add(
            new Entry(view, window, ACC.decode(in), INT.decode(in), INT.decode(in), BOOL.decode(in)));
      }
      LiveWindows live = new LiveWindows(entries);
      live.earlyPending = BOOL.decode(in);
      live.timerAt = LONG.decode(in);
      live.timerHolds = BOOL.decode(in);
      return live;
    }
  }
}
