package railyard.transforms;

import java.io.Serializable;
import java.util.function.LongConsumer;
import org.apache.beam.sdk.schemas.Schema;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * How a bounded view is computed from time slices ({@link WindowSpec#slice()}): which group each
 * slice is shuffled to, and, after the shuffle, which windows a group's slices make.
 *
 * <p>A fixed window is one slice, so its group is the window. A sliding view's group is a key's
 * {@link SlidingTiles tile}, which builds every window starting in it. A session can grow without
 * bound, so all of a key's session slices form one group.
 */
final class SlicedView implements Serializable {
  /** The one group of a key's session slices. */
  private static final long WHOLE_KEY = 0;

  final ViewKey key;
  final ViewMetricsFn metrics;
  private final WindowSpec window;
  private final long slice;
  private final SlidingTiles tiles;

  SlicedView(ViewSpec view, Schema schema) {
    this.key = new ViewKey(view.groupBy(), schema);
    this.metrics = new ViewMetricsFn(view.metrics(), schema);
    this.window = view.window();
    this.slice = window.slice().getMillis();
    this.tiles = window.kind() == WindowSpec.Kind.SLIDING ? new SlidingTiles(window) : null;
  }

  WindowSpec.Kind kind() {
    return window.kind();
  }

  /** The length of the view's slices: views that group alike and share it can share a table. */
  long sliceMillis() {
    return slice;
  }

  /** Calls {@code group} with each group the slice starting at {@code sliceStart} belongs to. */
  void forEachGroup(long sliceStart, LongConsumer group) {
    switch (window.kind()) {
      case FIXED -> group.accept(sliceStart);
      case SLIDING -> tiles.forEachTile(sliceStart, group);
      default -> group.accept(WHOLE_KEY);
    }
  }

  long fixedSize() {
    return window.size().getMillis();
  }

  long gap() {
    return window.gap().getMillis();
  }

  SlidingTiles tiles() {
    return tiles;
  }
}
