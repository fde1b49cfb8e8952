package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import railyard.transforms.SliceWindows.Window;

/**
 * What {@link ViewPanesFn} remembers of a key's live windows besides their slices: how many panes
 * each has fired, how many of them were not early (an on-time or late pane closes the window to
 * early panes), and whether slices came in since its last pane. A window leaves the log when its
 * allowed lateness runs out.
 */
final class PaneLog {
  /** One window's panes so far. */
  static final class Entry {
    final Window window;
    int panes;
    int nonEarly;
    boolean dirty;

    Entry(Window window, int panes, int nonEarly, boolean dirty) {
      this.window = window;
      this.panes = panes;
      this.nonEarly = nonEarly;
      this.dirty = dirty;
    }

    /** Whether the window fired on time, or late, already: its next pane is late. */
    boolean closed() {
      return nonEarly > 0;
    }
  }

  final List<Entry> entries;

  PaneLog(List<Entry> entries) {
    this.entries = entries;
  }

  static PaneLog empty() {
    return new PaneLog(new ArrayList<>());
  }

  /**
   * The entry of {@code window}, taking the place of every entry it overlaps (sessions that merged
   * into it), or a new one, marked {@code isNew}, where it overlaps none.
   */
  Entry take(Window window, boolean merging) {
    Entry taken = null;
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry entry = entries.get(i);
      boolean same = merging ? entry.window.overlaps(window) : entry.window.equals(window);
      if (!same) {
        continue;
      }
      entries.remove(i);
      taken =
          taken == null
              ? entry
              : new Entry(
                  window,
                  Math.max(taken.panes, entry.panes),
                  Math.max(taken.nonEarly, entry.nonEarly),
                  taken.dirty || entry.dirty);
    }
    Entry result = taken == null ? null : new Entry(window, taken.panes, taken.nonEarly, taken.dirty);
    if (result != null) {
      entries.add(result);
    }
    return result;
  }

  Entry add(Window window) {
    Entry entry = new Entry(window, 0, 0, false);
    entries.add(entry);
    return entry;
  }

  static final class Coder extends CustomCoder<PaneLog> {
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final BooleanCoder BOOL = BooleanCoder.of();

    @Override
    public void encode(PaneLog log, OutputStream out) throws IOException {
      INT.encode(log.entries.size(), out);
      for (Entry entry : log.entries) {
        LONG.encode(entry.window.start(), out);
        LONG.encode(entry.window.end() - entry.window.start(), out);
        INT.encode(entry.panes, out);
        INT.encode(entry.nonEarly, out);
        BOOL.encode(entry.dirty, out);
      }
    }

    @Override
    public PaneLog decode(InputStream in) throws IOException {
      int size = INT.decode(in);
      List<Entry> entries = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        long start = LONG.decode(in);
        Window window = new Window(start, start + LONG.decode(in));
        entries.add(new Entry(window, INT.decode(in), INT.decode(in), BOOL.decode(in)));
      }
      return new PaneLog(entries);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Coder;
    }

    @Override
    public int hashCode() {
      return Coder.class.hashCode();
    }
  }
}
