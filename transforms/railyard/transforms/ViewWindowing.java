package railyard.transforms;

import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * An SQL view's windows and when they fire (metrics views fire the same panes from slices, {@link
 * ViewPanesFn}): speculative panes at the early-firing interval, one on-time
 * pane when the watermark passes the window's end, then a late pane for each late event until the
 * allowed lateness runs out. Panes accumulate, so each one carries the window's whole result and
 * the newest pane written is the answer.
 *
 * <p>A bounded input gets no speculative panes: its on-time pane is the answer, and a runner that
 * lets processing time pass during a batch job (the Direct runner does) would otherwise fire early
 * panes depending on how fast it ran, so a backfill's rows would differ from run to run.
 */
final class ViewWindowing {
  private ViewWindowing() {}

  static <T> Window<T> of(ViewSpec view, PCollection.IsBounded input) {
    Trigger.OnceTrigger late = AfterPane.elementCountAtLeast(1);
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow().withLateFirings(late);
    if (view.earlyFiring() != null && input == PCollection.IsBounded.UNBOUNDED) {
      trigger =
          trigger.withEarlyFirings(
              AfterProcessingTime.pastFirstElementInPane().plusDelayOf(view.earlyFiring()));
    }
    return Window.<T>into(windowFn(view.window()))
        .triggering(trigger)
        .withAllowedLateness(view.allowedLateness(), Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static WindowFn<Object, IntervalWindow> windowFn(WindowSpec window) {
    switch (window.kind()) {
      case FIXED:
        return (WindowFn) FixedWindows.of(window.size());
      case SLIDING:
        return (WindowFn) SlidingWindows.of(window.size()).every(window.period());
      case SESSION:
        return (WindowFn) Sessions.withGapDuration(window.gap());
      default:
        throw new IllegalArgumentException("unknown window " + window.kind());
    }
  }
}
