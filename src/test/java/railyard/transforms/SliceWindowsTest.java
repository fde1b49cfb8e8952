package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.contains;

import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.schema.WindowSpec;
import railyard.transforms.SliceWindows.Window;

/** The windows a slice belongs to, held against Beam's own assignment. */
@RunWith(JUnit4.class)
public class SliceWindowsTest {
  private static SlicedView view(WindowSpec window) {
    return new SlicedView(Events.view("v", window, null, Duration.ZERO), Events.SCHEMA.rowSchema());
  }

  private static TableSlice sliceAt(long earliest, long latest) {
    return new TableSlice(0, earliest, latest, new ViewAccumulator[] {null});
  }

  private static List<Window> beams(WindowFn<Object, IntervalWindow> fn, long at) throws Exception {
    Collection<IntervalWindow> windows =
        fn.assignWindows(
            fn.new AssignContext() {
              @Override
              public Object element() {
                return "e";
              }

              @Override
              public Instant timestamp() {
                return new Instant(at);
              }

              @Override
              public BoundedWindow window() {
                return GlobalWindow.INSTANCE;
              }
            });
    return windows.stream()
        .map(w -> new Window(w.start().getMillis(), w.end().getMillis()))
        .toList();
  }

  @Test
  public void aSlidingSliceBelongsToTheWindowsBeamAssignsItsEvents() throws Exception {
    WindowSpec sliding = WindowSpec.sliding(Duration.millis(300), Duration.millis(120));
    SlidingWindows beam = SlidingWindows.of(Duration.millis(300)).every(Duration.millis(120));
    // From 0: Beam's own sliding windows start wrongly before the epoch (Java's % of a negative).
    for (long at = 0; at <= 2000; at += 7) {
      assertThat(
          "at " + at,
          SliceWindows.of(view(sliding), sliceAt(at, at)),
          containsInAnyOrder(beams(beam, at).toArray()));
    }
  }

  @Test
  public void aSessionSliceStartsAWindowFromItsEarliestToItsLatestPlusTheGap() {
    assertThat(
        SliceWindows.of(view(WindowSpec.session(Duration.millis(30))), sliceAt(100, 120)),
        contains(new Window(100, 150)));
  }
}
