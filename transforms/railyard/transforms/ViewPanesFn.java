package railyard.transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
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
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;
import railyard.transforms.SliceWindows.Window;

/**
 * After the shuffle of a stream, a key's slices kept in state (slices, never events) and the
 * view's panes built from them, as {@link ViewWindowing}'s trigger fires them for a window and
 * combine: speculative panes every {@code earlyFiring} of processing time after a slice comes in,
 * an on-time pane when the watermark passes the window's end, a late pane for each late slice
 * within the allowed lateness, and the slices of a window dropped, and counted as Beam counts them
 * ({@value #DROPPED_DUE_TO_LATENESS}, once per event and window), when they come later still.
 * Panes accumulate. Each is output in its window, with its pane's timing and index.
 *
 * <p>A stateful DoFn cannot read the watermark, but an event-time timer's relative time is the
 * input watermark ({@link Timer#getCurrentRelativeTime()}): that is how a slice is judged late.
 * State is cleared as each window's allowed lateness runs out; a key with no live window keeps
 * nothing.
 */
final class ViewPanesFn extends DoFn<KV<SliceGroup, TableSlice>, KV<String, ViewResult>> {
  /** Beam's own name for elements beyond the allowed lateness, which the run summary reads. */
  static final String DROPPED_DUE_TO_LATENESS = "droppedDueToLateness";

  private final SlicedView view;
  private final long lateness;
  private final @Nullable Duration earlyFiring;
  private final Counter dropped = Metrics.counter(ViewPanesFn.class, DROPPED_DUE_TO_LATENESS);

  @StateId("slices")
  private final StateSpec<BagState<TableSlice>> slicesSpec = StateSpecs.bag(new TableSlice.Coder());

  @StateId("panes")
  private final StateSpec<ValueState<PaneLog>> panesSpec = StateSpecs.value(new PaneLog.Coder());

  @StateId("earlyPending")
  private final StateSpec<ValueState<Boolean>> earlyPendingSpec = StateSpecs.value();

  /** When the on-time timer is set for: it is not set again, and keeps its hold. */
  @StateId("onTimeAt")
  private final StateSpec<ValueState<Long>> onTimeAtSpec = StateSpecs.value();

  /** When the expiry timer is set for. */
  @StateId("expiryAt")
  private final StateSpec<ValueState<Long>> expiryAtSpec = StateSpecs.value();

  /** Fires on-time panes; it holds the output watermark at its time, as Beam's end of window does. */
  @TimerId("onTime")
  private final TimerSpec onTimeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  /** Clears the state of windows past their lateness; it outputs nothing, so it holds nothing. */
  @TimerId("expiry")
  private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("early")
  private final TimerSpec earlySpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  ViewPanesFn(ViewSpec spec, SlicedView view) {
    this.view = view;
    this.lateness = spec.allowedLateness().getMillis();
    this.earlyFiring = spec.earlyFiring();
  }

  @ProcessElement
  public void process(
      @Element KV<SliceGroup, TableSlice> element,
      @Timestamp Instant timestamp,
      @StateId("slices") BagState<TableSlice> slices,
      @StateId("panes") ValueState<PaneLog> panes,
      @StateId("earlyPending") ValueState<Boolean> earlyPending,
      @StateId("onTimeAt") ValueState<Long> onTimeAt,
      @StateId("expiryAt") ValueState<Long> expiryAt,
      @TimerId("onTime") Timer onTime,
      @TimerId("expiry") Timer expiry,
      @TimerId("early") Timer earlyTimer,
      OutputReceiver<KV<String, ViewResult>> out) {
    long watermark = onTime.getCurrentRelativeTime().getMillis();
    TableSlice slice = element.getValue();
    List<Window> live = new ArrayList<>();
    for (Window window : SliceWindows.of(view, slice)) {
      if (expired(window, watermark)) {
        dropped.inc(slice.accs()[0].events);
      } else {
        live.add(window);
      }
    }
    if (live.isEmpty()) {
      return;
    }
    slices.add(slice);
    PaneLog log = read(panes);
    boolean merging = view.kind() == WindowSpec.Kind.SESSION;
    // Sessions merge, so the slices kept say which session a new slice joins; a fixed or sliding
    // window is folded only to fire a late pane.
    Map<Window, ViewAccumulator> folded = merging ? SliceWindows.fold(view, slices.read(), 0) : null;
    List<Window> touched =
        merging ? folded.keySet().stream().filter(w -> touchedBy(w, live)).toList() : live;
    boolean early = false;
    for (Window window : touched) {
      PaneLog.Entry entry = log.take(window, merging);
      boolean isNew = entry == null;
      if (isNew) {
        entry = log.add(window);
      }
      if (entry.closed() || (isNew && window.last() < watermark)) {
        if (folded == null) {
          folded = SliceWindows.fold(view, slices.read(), 0);
        }
        emit(element.getKey().key(), entry, folded.get(window), PaneInfo.Timing.LATE, timestamp, out);
      } else {
        entry.dirty = true;
        early = true;
      }
    }
    if (early && earlyFiring != null && earlyPending.read() == null) {
      earlyTimer.offset(earlyFiring).setRelative();
      earlyPending.write(true);
    }
    panes.write(log);
    setTimers(log, timestamp, onTimeAt, onTime, expiryAt, expiry);
  }

  @OnTimer("onTime")
  public void onTime(
      OnTimerContext context,
      @Key SliceGroup key,
      @StateId("slices") BagState<TableSlice> slices,
      @StateId("panes") ValueState<PaneLog> panes,
      @StateId("earlyPending") ValueState<Boolean> earlyPending,
      @StateId("onTimeAt") ValueState<Long> onTimeAt,
      @StateId("expiryAt") ValueState<Long> expiryAt,
      @TimerId("onTime") Timer onTime,
      @TimerId("expiry") Timer expiry,
      OutputReceiver<KV<String, ViewResult>> out) {
    onTimeAt.clear();
    long watermark =
        Math.max(context.fireTimestamp().getMillis(), onTime.getCurrentRelativeTime().getMillis());
    PaneLog log = read(panes);
    Map<Window, ViewAccumulator> windows = SliceWindows.fold(view, slices.read(), 0);
    log.entries.sort(Comparator.comparingLong((PaneLog.Entry e) -> e.window.end()));
    for (PaneLog.Entry entry : log.entries) {
      ViewAccumulator acc = windows.get(entry.window);
      if (!entry.closed() && entry.window.last() <= watermark && acc != null) {
        emit(key.key(), entry, acc, PaneInfo.Timing.ON_TIME, context.timestamp(), out);
      }
    }
    if (dropExpired(log, watermark, slices, panes, earlyPending, expiryAt)) {
      setTimers(log, context.timestamp(), onTimeAt, onTime, expiryAt, expiry);
    }
  }

  @OnTimer("expiry")
  public void onExpiry(
      OnTimerContext context,
      @StateId("slices") BagState<TableSlice> slices,
      @StateId("panes") ValueState<PaneLog> panes,
      @StateId("earlyPending") ValueState<Boolean> earlyPending,
      @StateId("onTimeAt") ValueState<Long> onTimeAt,
      @StateId("expiryAt") ValueState<Long> expiryAt,
      @TimerId("onTime") Timer onTime,
      @TimerId("expiry") Timer expiry) {
    expiryAt.clear();
    long watermark =
        Math.max(context.fireTimestamp().getMillis(), expiry.getCurrentRelativeTime().getMillis());
    PaneLog log = read(panes);
    if (dropExpired(log, watermark, slices, panes, earlyPending, expiryAt)) {
      setTimers(log, context.timestamp(), onTimeAt, onTime, expiryAt, expiry);
    }
  }

  @OnTimer("early")
  public void onEarly(
      OnTimerContext context,
      @Key SliceGroup key,
      @StateId("slices") BagState<TableSlice> slices,
      @StateId("panes") ValueState<PaneLog> panes,
      @StateId("earlyPending") ValueState<Boolean> earlyPending,
      OutputReceiver<KV<String, ViewResult>> out) {
    earlyPending.clear();
    PaneLog log = panes.read();
    if (log == null) {
      return;
    }
    Map<Window, ViewAccumulator> windows = SliceWindows.fold(view, slices.read(), 0);
    for (PaneLog.Entry entry : log.entries) {
      ViewAccumulator acc = windows.get(entry.window);
      if (entry.dirty && !entry.closed() && acc != null) {
        emit(key.key(), entry, acc, PaneInfo.Timing.EARLY, context.timestamp(), out);
      }
    }
    panes.write(log);
  }

  /** Beam's rule: a window takes no more input once the watermark is past its end plus lateness. */
  private boolean expired(Window window, long watermark) {
    return window.last() + lateness < watermark;
  }

  /** Whether {@code session}, one of the sessions the kept slices make, holds a new slice's. */
  private static boolean touchedBy(Window session, List<Window> live) {
    return live.stream().anyMatch(session::overlaps);
  }

  /**
   * Forgets the windows past their lateness that fired on time (one that has not yet waits for
   * the on-time timer) and the slices no live window holds; clears the key's state when none is
   * left. Returns whether any window is.
   */
  private boolean dropExpired(
      PaneLog log,
      long watermark,
      BagState<TableSlice> slices,
      ValueState<PaneLog> panes,
      ValueState<Boolean> earlyPending,
      ValueState<Long> expiryAt) {
    log.entries.removeIf(entry -> entry.closed() && expired(entry.window, watermark));
    if (log.entries.isEmpty()) {
      slices.clear();
      panes.clear();
      earlyPending.clear();
      expiryAt.clear();
      return false;
    }
    List<TableSlice> kept = new ArrayList<>();
    for (TableSlice slice : slices.read()) {
      if (log.entries.stream().anyMatch(e -> e.window.holds(slice.earliest()))) {
        kept.add(slice);
      }
    }
    slices.clear();
    kept.forEach(slices::add);
    panes.write(log);
    return true;
  }

  /**
   * Sets the on-time timer for the first end of a window not yet fired on time, and the expiry
   * timer for the first end of lateness of one that has, unless already set there. Beam refuses
   * a hold earlier than what is being processed ({@code now}): an on-time timer due before it
   * holds at {@code now}, and its pane is stamped no earlier.
   */
  private void setTimers(
      PaneLog log,
      Instant now,
      ValueState<Long> onTimeAt,
      Timer onTime,
      ValueState<Long> expiryAt,
      Timer expiry) {
    long nextOnTime = Long.MAX_VALUE;
    long nextExpiry = Long.MAX_VALUE;
    for (PaneLog.Entry entry : log.entries) {
      if (entry.closed()) {
        nextExpiry = Math.min(nextExpiry, entry.window.last() + lateness + 1);
      } else {
        nextOnTime = Math.min(nextOnTime, entry.window.last());
      }
    }
    Long onTimeSet = onTimeAt.read();
    if (nextOnTime != Long.MAX_VALUE && (onTimeSet == null || onTimeSet != nextOnTime)) {
      long hold = Math.min(now.getMillis(), BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis());
      if (nextOnTime >= hold) {
        onTime.set(new Instant(nextOnTime)); // its output timestamp is its own by default
      } else {
        onTime.withOutputTimestamp(new Instant(hold)).set(new Instant(nextOnTime));
      }
      onTimeAt.write(nextOnTime);
    }
    Long expirySet = expiryAt.read();
    if (nextExpiry != Long.MAX_VALUE && (expirySet == null || expirySet != nextExpiry)) {
      expiry.withNoOutputTimestamp().set(new Instant(nextExpiry));
      expiryAt.write(nextExpiry);
    }
  }

  private void emit(
      String key,
      PaneLog.Entry entry,
      ViewAccumulator acc,
      PaneInfo.Timing timing,
      Instant after,
      OutputReceiver<KV<String, ViewResult>> out) {
    boolean early = timing == PaneInfo.Timing.EARLY;
    boolean last = timing == PaneInfo.Timing.ON_TIME && lateness == 0;
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
    out.outputWindowedValue(
        KV.of(key, view.metrics.extractOutput(acc)),
        new Instant(at),
        List.of(new IntervalWindow(new Instant(window.start()), new Instant(window.end()))),
        pane);
  }

  private static PaneLog read(ValueState<PaneLog> panes) {
    PaneLog log = panes.read();
    return log == null ? PaneLog.empty() : log;
  }
}
