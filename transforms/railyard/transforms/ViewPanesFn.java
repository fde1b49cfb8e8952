package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.Comparator;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.apache.beam.sdk.values.TupleTag;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;
import railyard.transforms.LiveWindows.Entry;
import railyard.transforms.SliceWindows.Window;

/**
 * After the shuffle of a stream, each key's live windows kept in state, each with the fold of the
 * slices it holds so far ({@link LiveWindows}: folds, never events or slices), and the view's panes
 * read from them, as {@link ViewWindowing}'s trigger fires them for a window and combine:
 * speculative panes every {@code earlyFiring} of processing time after a slice comes in, an
 * on-time pane when the watermark passes the window's end, a late pane for each late slice within
 * the allowed lateness, and the slices of a window dropped, and counted as Beam counts them
 * ({@value #DROPPED_DUE_TO_LATENESS}, once per event and window), when they come later still.
 * Panes accumulate. Each is output in its window, with its pane's timing and index.
 *
 * <p>A slice costs one merge per window it falls in (one for a fixed window or a session, size /
 * period for a sliding one) and one read and write of the key's state; a pane costs its output.
 *
 * <p>A stateful DoFn cannot read the watermark, but an event-time timer's relative time is the
 * input watermark ({@link Timer#getCurrentRelativeTime()}): that is how a slice is judged late.
 * State is cleared as each window's allowed lateness runs out; a key with no live window keeps
 * nothing.
 */
final class ViewPanesFn extends DoFn<KV<SliceGroup, TableSlice>, KV<String, ViewResult>> {
  /** Beam's own name for elements beyond the allowed lateness, which the run summary reads. */
  static final String DROPPED_DUE_TO_LATENESS = "droppedDueToLateness";

  private final ViewTables layout;
  private final List<TupleTag<KV<String, ViewResult>>> outputs;
  private final long[] lateness;
  private final @Nullable Duration earlyFiring;
  private final Counter[] dropped;

  @StateId("windows")
  private final StateSpec<ValueState<LiveWindows>> windowsSpec = StateSpecs.value(new LiveWindows.Coder());

  /**
   * The key's one event-time timer, at the first end of a window not yet fired on time or of the
   * lateness of one that has: it fires on-time panes and forgets expired windows. While an on-time
   * pane is due it holds the output watermark, as Beam's end of window does; otherwise it holds
   * nothing. One timer, not one for each purpose: the runner's per-timer work was the largest cost
   * with many keys.
   */
  @TimerId("windows")
  private final TimerSpec windowsTimerSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("early")
  private final TimerSpec earlySpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  /**
   * The panes of {@code specs}, laid out in {@code layout} (the same views, in the same order),
   * each view's to its output in {@code outputs}. The views share one early firing.
   */
  ViewPanesFn(
      List<ViewSpec> specs, ViewTables layout, List<TupleTag<KV<String, ViewResult>>> outputs) {
    this.layout = layout;
    this.outputs = List.copyOf(outputs);
    this.lateness = specs.stream().mapToLong(v -> v.allowedLateness().getMillis()).toArray();
    this.earlyFiring = specs.get(0).earlyFiring();
    this.dropped = new Counter[specs.size()];
    for (int v = 0; v < specs.size(); v++) {
      checkArgument(
          java.util.Objects.equals(specs.get(v).earlyFiring(), earlyFiring),
          "views computed in one step share their early firing; %s's differs",
          specs.get(v).name());
      dropped[v] = Metrics.counter(droppedNamespace(specs.get(v).name()), DROPPED_DUE_TO_LATENESS);
    }
  }

  /** Where a view's elements dropped beyond its allowed lateness are counted. */
  static String droppedNamespace(String view) {
    return RailyardMetrics.LATE_DROPPED_NAMESPACE + view;
  }

  @ProcessElement
  public void process(
      @Element KV<SliceGroup, TableSlice> element,
      @Timestamp Instant timestamp,
      @StateId("windows") ValueState<LiveWindows> state,
      @TimerId("windows") Timer timer,
      @TimerId("early") Timer earlyTimer,
      MultiOutputReceiver out) {
    long watermark = timer.getCurrentRelativeTime().getMillis();
    TableSlice slice = element.getValue();
    int[] views = layout.viewsOfTable[slice.table()];
    LiveWindows live = read(state);
    boolean early = false;
    for (int i = 0; i < views.length; i++) {
      int v = views[i];
      SlicedView view = layout.views.get(v);
      ViewAccumulator folded = slice.accs()[i];
      for (Window window : SliceWindows.of(view, slice)) {
        if (expired(v, window, watermark)) {
          dropped[v].inc(folded.events);
          continue;
        }
        Entry entry =
            view.kind() == WindowSpec.Kind.SESSION ? live.mergeSessions(v, window) : live.get(v, window);
        boolean isNew = entry == null;
        if (isNew) {
          entry = live.add(v, window, view.metrics.createAccumulator());
        }
        entry.acc.merge(folded);
        if (entry.closed() || (isNew && entry.window.last() < watermark)) {
          emit(element.getKey().key(), entry, PaneInfo.Timing.LATE, timestamp, out);
        } else {
          entry.dirty = true;
          early = true;
        }
      }
    }
    if (live.entries.isEmpty()) {
      return; // every window of the slice was past its lateness, and the key keeps none
    }
    if (early && earlyFiring != null && !live.earlyPending) {
      earlyTimer.offset(earlyFiring).setRelative();
      live.earlyPending = true;
    }
    setTimer(live, timestamp, timer);
    state.write(live);
  }

  @OnTimer("windows")
  public void onWindowsTimer(
      OnTimerContext context,
      @Key SliceGroup key,
      @StateId("windows") ValueState<LiveWindows> state,
      @TimerId("windows") Timer timer,
      MultiOutputReceiver out) {
    LiveWindows live = read(state);
    live.timerAt = LiveWindows.UNSET;
    long watermark =
        Math.max(context.fireTimestamp().getMillis(), timer.getCurrentRelativeTime().getMillis());
    live.entries.sort(Comparator.comparingLong((Entry e) -> e.window.end()));
    for (Entry entry : live.entries) {
      if (!entry.closed() && entry.window.last() <= watermark) {
        emit(key.key(), entry, PaneInfo.Timing.ON_TIME, context.timestamp(), out);
      }
    }
    dropExpiredAndSetTimer(live, watermark, context.timestamp(), state, timer);
  }

  @OnTimer("early")
  public void onEarly(
      OnTimerContext context,
      @Key SliceGroup key,
      @StateId("windows") ValueState<LiveWindows> state,
      MultiOutputReceiver out) {
    LiveWindows live = state.read();
    if (live == null) {
      return;
    }
    live.earlyPending = false;
    for (Entry entry : live.entries) {
      if (entry.dirty && !entry.closed()) {
        emit(key.key(), entry, PaneInfo.Timing.EARLY, context.timestamp(), out);
      }
    }
    state.write(live);
  }

  /** Beam's rule: a window takes no more input once the watermark is past its end plus lateness. */
  private boolean expired(int view, Window window, long watermark) {
    return window.last() + lateness[view] < watermark;
  }

  /**
   * Forgets the windows past their lateness that fired on time (one that has not yet waits for its
   * on-time pane) and sets the timer for those left; clears the key's state when none is.
   */
  private void dropExpiredAndSetTimer(
      LiveWindows live, long watermark, Instant now, ValueState<LiveWindows> state, Timer timer) {
    live.entries.removeIf(entry -> entry.closed() && expired(entry.view, entry.window, watermark));
    if (live.entries.isEmpty()) {
      state.clear();
      return;
    }
    setTimer(live, now, timer);
    state.write(live);
  }

  /**
   * Sets the timer for the first end of a window not yet fired on time or of the lateness of one
   * that has, unless already set there alike. While an on-time pane is due the timer holds the
   * output watermark at its own time, or at {@code now} when that is later: Beam refuses a hold
   * earlier than what is being processed, and the pane is stamped no earlier.
   */
  private void setTimer(LiveWindows live, Instant now, Timer timer) {
    long nextOnTime = Long.MAX_VALUE;
    long nextExpiry = Long.MAX_VALUE;
    for (Entry entry : live.entries) {
      if (entry.closed()) {
        nextExpiry = Math.min(nextExpiry, entry.window.last() + lateness[entry.view] + 1);
      } else {
        nextOnTime = Math.min(nextOnTime, entry.window.last());
      }
    }
    long next = Math.min(nextOnTime, nextExpiry);
    boolean holds = nextOnTime != Long.MAX_VALUE;
    if (next == Long.MAX_VALUE || (live.timerAt == next && live.timerHolds == holds)) {
      return;
    }
    if (!holds) {
      timer.withNoOutputTimestamp().set(new Instant(next));
    } else {
      long hold = Math.min(now.getMillis(), BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis());
      if (next >= hold) {
        timer.set(new Instant(next)); // its output timestamp is its own by default
      } else {
        timer.withOutputTimestamp(new Instant(hold)).set(new Instant(next));
      }
    }
    live.timerAt = next;
    live.timerHolds = holds;
  }

  private void emit(
      String key,
      Entry entry,
      PaneInfo.Timing timing,
      Instant after,
      MultiOutputReceiver out) {
    boolean early = timing == PaneInfo.Timing.EARLY;
    boolean last = timing == PaneInfo.Timing.ON_TIME && lateness[entry.view] == 0;
    PaneInfo pane =
        PaneInfo.createPane(entry.panes == 0, last, timing, entry.panes, early ? -1 : entry.nonEarly);
    entry.panes++;
    if (!early) {
      entry.nonEarly++;
    }
    entry.dirty = false;
    Window window = entry.window;
    // A pane carries its window's last instant, as a combine's would, unless the slice or timer
    // that fired it is later: nothing may be output before what caused it.
    long at = Math.max(window.last(), after.getMillis());
    out.get(outputs.get(entry.view))
        .outputWindowedValue(
            KV.of(key, layout.views.get(entry.view).metrics.extractOutput(entry.acc)),
            new Instant(at),
            List.of(new IntervalWindow(new Instant(window.start()), new Instant(window.end()))),
            pane);
  }

  private static LiveWindows read(ValueState<LiveWindows> state) {
    LiveWindows live = state.read();
    return live == null ? LiveWindows.empty() : live;
  }
}
