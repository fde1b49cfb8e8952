package railyard.transforms;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.annotation.Nullable;

/**
 * One hash table of {@link SliceViewsWithinBundleFn}: the slices a bundle's rows have made so far,
 * each with its partial results, up to {@code maxSlices} of them.
 *
 * <p>A table pays for itself only when rows fold into slices it holds: every lookup in a table of
 * many slices misses the CPU's caches, and saves work downstream only when it finds a slice. So a
 * table decides once, when it fills: if fewer rows folded into a slice already there than it holds
 * slices (fewer than two rows a slice), its keys are too many for it, as with a million users, and
 * it takes no more rows; each later row leaves as a slice of its own, which the shuffle groups
 * anyway; Hive's map-side aggregation and Flink SQL's adaptive local hash aggregate turn themselves
 * off in the same way. A table that folds more keeps folding the slices it holds, and passes new
 * ones on.
 */
final class SliceTable<P> {
  /** A key's slice of time, by its start. */
  record Slice(String key, long start) {}

  private final Map<Slice, P> slices = new HashMap<>();
  private final int maxSlices;
  private long folded;
  private boolean passesRowsOn;

  SliceTable(int maxSlices) {
    this.maxSlices = maxSlices;
  }

  /** The partial results of {@code slice} to fold a row into, or null for a row of a new slice. */
  @Nullable
  P find(Slice slice) {
    if (passesRowsOn) {
      return null;
    }
    P partial = slices.get(slice);
    if (partial != null) {
      folded++;
    }
    return partial;
  }

  /**
   * Keeps a new slice's partial results, or says no when the table is full or takes no more rows:
   * the slice must then leave as it is.
   */
  boolean keep(Slice slice, P partial) {
    if (passesRowsOn || slices.size() >= maxSlices) {
      return false;
    }
    slices.put(slice, partial);
    if (slices.size() == maxSlices) {
      passesRowsOn = folded < maxSlices;
    }
    return true;
  }

  /** Whether the table, once full, found it folded too few rows to go on looking them up. */
  boolean passesRowsOn() {
    return passesRowsOn;
  }

  void forEach(BiConsumer<Slice, P> each) {
    slices.forEach(each);
  }
}
