package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.function.LongConsumer;
import railyard.schema.WindowSpec;

/**
 * Cuts time into tiles that each own the sliding windows starting inside them, so that one group
 * per key and tile can build all of its windows from time slices after a single shuffle. A tile is
 * many periods long and never shorter than a window, so a slice belongs to the tile of its latest
 * window and at most to the one before it.
 *
 * <p>Windows are those of Beam's {@code SlidingWindows} without an offset: they start at each
 * multiple of the period and hold the instants from their start up to, not including, start plus
 * size.
 */
final class SlidingTiles implements Serializable {
  /** Windows a tile owns, at least; more when a window spans more than a quarter of them. */
  private static final long PERIODS_PER_TILE = 60;

  private final long size;
  private final long period;
  private final long tile;

  SlidingTiles(WindowSpec window) {
    checkArgument(window.kind() == WindowSpec.Kind.SLIDING, "tiles are for sliding windows, not %s", window);
    this.size = window.size().getMillis();
    this.period = window.period().getMillis();
    long periodsPerWindow = (size + period - 1) / period;
    this.tile = period * Math.max(PERIODS_PER_TILE, 4 * periodsPerWindow);
  }

  /** The window length, to find a window from its end. */
  long size() {
    return size;
  }

  /** Calls {@code tile} with the start of each tile owning a window that holds {@code at}. */
  void forEachTile(long at, LongConsumer tile) {
    long previous = Long.MIN_VALUE;
    for (long start = latestStart(at); start > at - size; start -= period) {
      long owner = tileOf(start);
      if (owner != previous) {
        tile.accept(owner);
        previous = owner;
      }
    }
  }

  /** Calls {@code window} with the start of each window that holds {@code at} and {@code tile} owns. */
  void forEachWindow(long at, long tile, LongConsumer window) {
    for (long start = latestStart(at); start > at - size; start -= period) {
      if (tileOf(start) == tile) {
        window.accept(start);
      }
    }
  }

  private long latestStart(long at) {
    return at - Math.floorMod(at, period);
  }

  private long tileOf(long windowStart) {
    return windowStart - Math.floorMod(windowStart, tile);
  }
}
