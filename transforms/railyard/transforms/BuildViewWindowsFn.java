package railyard.transforms;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * After the shuffle, every window of every view that a key's slices make, each the fold of the
 * slices it holds and stamped with its last instant, the timestamp a combine in that window gives.
 * Each view reads the slices of its table in time order, as one sweep: fixed and sliding windows
 * close as the sweep passes their end, and sessions merge as Beam merges them: a slice's windows
 * run from its earliest event to its latest plus the gap, and windows that overlap, not merely
 * touch, become one. Slices belong to the runner, so windows fold into fresh accumulators.
 *
 * <p>A key's group is stamped with its earliest slice, which no window holding that slice ends
 * before, so each result's timestamp is at or after it. What a window becomes is the {@link
 * Output}'s to say: a result, or a serving row made on the spot rather than one step later.
 */
final class BuildViewWindowsFn<T> extends DoFn<KV<SliceGroup, List<TableSlice>>, T> {
  private static final Comparator<TableSlice> BY_EARLIEST = Comparator.comparingLong(TableSlice::earliest);

  /** What a built window becomes: the view by its position, or nothing for null. */
  interface Output<T> extends Serializable {
    /** A window of a view and key, built at {@code builtAt} (epoch milliseconds). */
    @Nullable
    T of(int view, String key, long start, long end, ViewResult result, long builtAt);

    /** Told, once a key's windows of a view are out, how many of them it made. */
    default void made(int view, long windows) {}
  }

  private final ViewTables layout;
  private final Output<T> output;

  BuildViewWindowsFn(ViewTables layout, Output<T> output) {
    this.layout = layout;
    this.output = output;
  }

  /** A window still taking slices. */
  private static final class Open {
    final long start;
    final ViewAccumulator acc;

    Open(long start, ViewAccumulator acc) {
      this.start = start;
      this.acc = acc;
    }
  }

  @ProcessElement
  public void process(
      @Element KV<SliceGroup, List<TableSlice>> group, OutputReceiver<T> out) {
    List<List<TableSlice>> byTable = new ArrayList<>();
    for (int t = 0; t < layout.tables(); t++) {
      byTable.add(new ArrayList<>());
    }
    for (TableSlice slice : group.getValue()) {
      byTable.get(slice.table()).add(slice);
    }
    byTable.forEach(slices -> slices.sort(BY_EARLIEST));
    String key = group.getKey().key();
    long builtAt = System.currentTimeMillis();
    for (int v = 0; v < layout.views.size(); v++) {
      List<TableSlice> slices = byTable.get(layout.tableOfView[v]);
      if (slices.isEmpty()) {
        continue; // the view groups by other fields
      }
      SlicedView view = layout.views.get(v);
      Emitter<T> emit = new Emitter<>(v, key, view, output, builtAt, out);
      switch (view.kind()) {
        case FIXED, SLIDING -> aligned(view, slices, layout.placeInTable[v], emit);
        default -> sessions(view, slices, layout.placeInTable[v], emit);
      }
      output.made(v, emit.made);
    }
  }

  /**
   * Windows of {@code size} starting at each multiple of {@code period}, as Beam's fixed and
   * sliding windows without an offset: those holding a slice's events start after its earliest
   * minus the size and no later than it.
   */
  private static void aligned(SlicedView view, List<TableSlice> inOrder, int place, Emitter<?> emit) {
    long size = view.size();
    long period = view.period();
    ArrayDeque<Open> open = new ArrayDeque<>();
    long nextStart = Long.MIN_VALUE;
    for (TableSlice slice : inOrder) {
      long at = slice.earliest();
      while (!open.isEmpty() && open.peekFirst().start + size <= at) {
        Open window = open.pollFirst();
        emit.window(window.start, window.start + size, window.acc);
      }
      long latestStart = at - Math.floorMod(at, period);
      long earliestStart = (at - size) - Math.floorMod(at - size, period) + period;
      for (long start = Math.max(earliestStart, nextStart); start <= latestStart; start += period) {
        open.addLast(new Open(start, view.metrics.createAccumulator()));
      }
      nextStart = Math.max(nextStart, latestStart + period);
      for (Open window : open) {
        window.acc.merge(slice.accs()[place]);
      }
    }
    for (Open window : open) {
      emit.window(window.start, window.start + size, window.acc);
    }
  }

  private static void sessions(SlicedView view, List<TableSlice> inOrder, int place, Emitter<?> emit) {
    long gap = view.gap();
    ViewAccumulator session = null;
    long start = 0;
    long end = 0;
    for (TableSlice slice : inOrder) {
      if (session != null && slice.earliest() >= end) {
        emit.window(start, end, session);
        session = null;
      }
      if (session == null) {
        session = view.metrics.createAccumulator();
        start = slice.earliest();
        end = slice.latest() + gap;
      }
      session.merge(slice.accs()[place]);
      end = Math.max(end, slice.latest() + gap);
    }
    if (session != null) {
      emit.window(start, end, session);
    }
  }

  /** Sends a view's windows of one key out, each at its last instant, and counts them. */
  private static final class Emitter<T> {
    private final int view;
    private final String key;
    private final SlicedView spec;
    private final Output<T> output;
    private final long builtAt;
    private final OutputReceiver<T> out;
    long made;

    Emitter(int view, String key, SlicedView spec, Output<T> output, long builtAt, OutputReceiver<T> out) {
      this.view = view;
      this.key = key;
      this.spec = spec;
      this.output = output;
      this.builtAt = builtAt;
      this.out = out;
    }

    void window(long start, long end, ViewAccumulator acc) {
      T window = output.of(view, key, start, end, spec.metrics.extractOutput(acc), builtAt);
      if (window != null) {
        out.outputWithTimestamp(window, new Instant(end - 1));
        made++;
      }
    }
  }
}
