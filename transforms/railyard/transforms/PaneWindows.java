package railyard.transforms;

import java.util.Collection;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;

/**
 * The windowing of panes that {@link ViewPanesFn} outputs, each in its window already (sessions
 * merged): what follows reads the windows, and nothing assigns them again.
 */
final class PaneWindows extends NonMergingWindowFn<Object, IntervalWindow> {
  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext context) {
    throw new UnsupportedOperationException("a view's panes are output in their windows");
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof PaneWindows;
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return IntervalWindow.getCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("a view's panes are no side input");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PaneWindows;
  }

  @Override
  public int hashCode() {
    return PaneWindows.class.hashCode();
  }
}
