package railyard.transforms;

import java.io.Serializable;
import org.apache.beam.sdk.schemas.Schema;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * A view as the slice engine computes it: the key it groups by, its metrics, the time slices its
 * rows fold into within a bundle ({@link WindowSpec#slice()}), and the windows its key's slices
 * make after the shuffle ({@link BuildViewWindowsFn} on bounded input, {@link ViewPanesFn} on a
 * stream).
 */
final class SlicedView implements Serializable {
  final ViewKey key;
  final ViewMetricsFn metrics;
  private final WindowSpec window;
  private final long slice;

  SlicedView(ViewSpec view, Schema schema) {
    this.key = new ViewKey(view.groupBy(), schema);
    this.metrics = new ViewMetricsFn(view.metrics(), schema);
    this.window = view.window();
    this.slice = window.slice().getMillis();
  }

  WindowSpec.Kind kind() {
    return window.kind();
  }

  /** The length of the view's slices: views that group alike and share it can share a table. */
  long sliceMillis() {
    return slice;
  }

  /** A fixed or sliding window's length. */
  long size() {
    return window.size().getMillis();
  }

  /** How often a fixed or sliding window starts: a fixed window starts as the one before ends. */
  long period() {
    return window.kind() == WindowSpec.Kind.SLIDING ? window.period().getMillis() : size();
  }

  long gap() {
    return window.gap().getMillis();
  }
}
