package railyard.transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * After the shuffle, the windows a group's slices make ({@link SlicedView}), each the fold of the
 * slices it holds and stamped with its last instant, the timestamp a combine in that window gives.
 * Sessions merge as Beam merges them: a slice's windows run from its earliest event to its latest
 * plus the gap, and windows that overlap, not merely touch, become one. Slices belong to the
 * runner, so windows fold into fresh accumulators. A group is stamped with its earliest slice,
 * which no window holding that slice ends before, so each result's timestamp is at or after it.
 */
final class BuildViewWindowsFn extends DoFn<KV<SliceGroup, List<ViewSlice>>, ViewWindowResult> {
  private static final Comparator<ViewSlice> BY_EARLIEST = Comparator.comparingLong(ViewSlice::earliest);

  private final List<SlicedView> views;

  BuildViewWindowsFn(List<SlicedView> views) {
    this.views = List.copyOf(views);
  }

  @ProcessElement
  public void process(
      @Element KV<SliceGroup, List<ViewSlice>> slices, OutputReceiver<ViewWindowResult> out) {
    SliceGroup group = slices.getKey();
    SlicedView view = views.get(group.view());
    switch (view.kind()) {
      case FIXED -> fixed(view, group, slices.getValue(), out);
      case SLIDING -> sliding(view, group, slices.getValue(), out);
      default -> sessions(view, group, slices.getValue(), out);
    }
  }

  /** A fixed view's group is one window. */
  private static void fixed(
      SlicedView view, SliceGroup group, Iterable<ViewSlice> slices, OutputReceiver<ViewWindowResult> out) {
    ViewAccumulator window = view.metrics.createAccumulator();
    slices.forEach(slice -> window.merge(slice.acc()));
    emit(view, group, group.group(), group.group() + view.fixedSize(), window, out);
  }

  /** A sliding view's group is a tile, which builds the windows that start in it. */
  private static void sliding(
      SlicedView view, SliceGroup group, Iterable<ViewSlice> slices, OutputReceiver<ViewWindowResult> out) {
    SlidingTiles tiles = view.tiles();
    SortedMap<Long, ViewAccumulator> windows = new TreeMap<>();
    for (ViewSlice slice : slices) {
      tiles.forEachWindow(
          slice.earliest(),
          group.group(),
          start -> windows.computeIfAbsent(start, s -> view.metrics.createAccumulator()).merge(slice.acc()));
    }
    windows.forEach((start, window) -> emit(view, group, start, start + tiles.size(), window, out));
  }

  /** A session view's group is all of a key's slices. */
  private static void sessions(
      SlicedView view, SliceGroup group, Iterable<ViewSlice> slices, OutputReceiver<ViewWindowResult> out) {
    List<ViewSlice> inOrder = new ArrayList<>();
    slices.forEach(inOrder::add);
    inOrder.sort(BY_EARLIEST);
    long gap = view.gap();
    ViewAccumulator session = null;
    long start = 0;
    long end = 0;
    for (ViewSlice slice : inOrder) {
      if (session != null && slice.earliest() >= end) {
        emit(view, group, start, end, session, out);
        session = null;
      }
      if (session == null) {
        session = view.metrics.createAccumulator();
        start = slice.earliest();
        end = slice.latest() + gap;
      }
      session.merge(slice.acc());
      end = Math.max(end, slice.latest() + gap);
    }
    if (session != null) {
      emit(view, group, start, end, session, out);
    }
  }

  private static void emit(
      SlicedView view,
      SliceGroup group,
      long start,
      long end,
      ViewAccumulator window,
      OutputReceiver<ViewWindowResult> out) {
    out.outputWithTimestamp(
        new ViewWindowResult(group.view(), group.key(), start, end, view.metrics.extractOutput(window)),
        new Instant(end - 1));
  }
}
