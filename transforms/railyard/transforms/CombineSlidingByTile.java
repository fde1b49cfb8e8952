package railyard.transforms;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SortedMapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.schema.WindowSpec;

/**
 * A bounded sliding view's windows from its time slices ({@link CombineSlicesWithinBundleFn}) with
 * one shuffle of each slice, where assigning the sliding windows first would shuffle a copy of it
 * per window it falls in (five for 5-minute windows every minute).
 *
 * <p>Slices are grouped by key and {@link SlidingTiles tile}, combined into one sorted table of
 * slices per group (before the shuffle, then after it), and each group then builds the windows it
 * owns from its table. A result leaves stamped with its window's last instant, the timestamp a
 * combine in that window would give it, and goes back into that window; so what follows sees the
 * same windows and timestamps as after windowing the slices and combining them. The group's
 * timestamp is its earliest slice's, which no window holding that slice ends before.
 */
final class CombineSlidingByTile
    extends PTransform<PCollection<KV<String, ViewAccumulator>>, PCollection<KV<String, ViewResult>>> {
  private static final Coder<KV<String, Long>> TILE_KEY =
      KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
  private static final Coder<KV<Long, ViewAccumulator>> SLICE =
      KvCoder.of(VarLongCoder.of(), new ViewAccumulator.Coder());
  private static final Coder<SortedMap<Long, ViewAccumulator>> SLICES =
      SortedMapCoder.of(VarLongCoder.of(), new ViewAccumulator.Coder());

  private final ViewMetricsFn metrics;
  private final WindowSpec window;

  CombineSlidingByTile(ViewMetricsFn metrics, WindowSpec window) {
    this.metrics = metrics;
    this.window = window;
  }

  @Override
  public PCollection<KV<String, ViewResult>> expand(PCollection<KV<String, ViewAccumulator>> slices) {
    SlidingTiles tiles = new SlidingTiles(window);
    return slices
        .apply("KeyByTile", ParDo.of(new KeyByTileFn(tiles)))
        .setCoder(KvCoder.of(TILE_KEY, SLICE))
        .apply(
            "StampGroupsEarliest",
            Window.<KV<KV<String, Long>, KV<Long, ViewAccumulator>>>into(new GlobalWindows())
                .withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply("CollectSlices", Combine.perKey(new CollectSlicesFn(metrics)))
        .setCoder(KvCoder.of(TILE_KEY, SLICES))
        .apply("BuildWindows", ParDo.of(new BuildWindowsFn(tiles, metrics)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), new ViewResult.Coder()))
        .apply(
            "IntoTheirWindows",
            Window.into(new WindowEndingAtTimestamp(Duration.millis(tiles.size()))));
  }

  /** Sends each slice, as (start, accumulator), to every tile owning one of its windows. */
  private static final class KeyByTileFn
      extends DoFn<KV<String, ViewAccumulator>, KV<KV<String, Long>, KV<Long, ViewAccumulator>>> {
    private final SlidingTiles tiles;

    KeyByTileFn(SlidingTiles tiles) {
      this.tiles = tiles;
    }

    @ProcessElement
    public void process(
        @Element KV<String, ViewAccumulator> slice,
        @Timestamp Instant timestamp,
        OutputReceiver<KV<KV<String, Long>, KV<Long, ViewAccumulator>>> out) {
      long at = timestamp.getMillis();
      KV<Long, ViewAccumulator> start = KV.of(tiles.sliceStart(at), slice.getValue());
      tiles.forEachTile(at, tile -> out.output(KV.of(KV.of(slice.getKey(), tile), start)));
    }
  }

  /** A tile's slices, each folded once, by start. */
  private static final class CollectSlicesFn
      extends CombineFn<
          KV<Long, ViewAccumulator>, SortedMap<Long, ViewAccumulator>, SortedMap<Long, ViewAccumulator>> {
    private final ViewMetricsFn metrics;

    CollectSlicesFn(ViewMetricsFn metrics) {
      this.metrics = metrics;
    }

    @Override
    public SortedMap<Long, ViewAccumulator> createAccumulator() {
      return new TreeMap<>();
    }

    @Override
    public SortedMap<Long, ViewAccumulator> addInput(
        SortedMap<Long, ViewAccumulator> slices, KV<Long, ViewAccumulator> slice) {
      // A fresh accumulator per start: the input belongs to the runner and may not be changed.
      slices.computeIfAbsent(slice.getKey(), start -> metrics.createAccumulator()).merge(slice.getValue());
      return slices;
    }

    @Override
    public SortedMap<Long, ViewAccumulator> mergeAccumulators(
        Iterable<SortedMap<Long, ViewAccumulator>> tables) {
      Iterator<SortedMap<Long, ViewAccumulator>> each = tables.iterator();
      SortedMap<Long, ViewAccumulator> merged = each.next();
      while (each.hasNext()) {
        each.next().forEach((start, slice) -> merged.merge(start, slice, ViewAccumulator::mergedWith));
      }
      return merged;
    }

    @Override
    public SortedMap<Long, ViewAccumulator> extractOutput(SortedMap<Long, ViewAccumulator> slices) {
      return slices;
    }

    @Override
    public Coder<SortedMap<Long, ViewAccumulator>> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<Long, ViewAccumulator>> input) {
      return SLICES;
    }
  }

  /** The windows a tile owns, each the fold of the slices it holds, stamped with its last instant. */
  private static final class BuildWindowsFn
      extends DoFn<KV<KV<String, Long>, SortedMap<Long, ViewAccumulator>>, KV<String, ViewResult>> {
    private final SlidingTiles tiles;
    private final ViewMetricsFn metrics;

    BuildWindowsFn(SlidingTiles tiles, ViewMetricsFn metrics) {
      this.tiles = tiles;
      this.metrics = metrics;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, Long>, SortedMap<Long, ViewAccumulator>> group,
        OutputReceiver<KV<String, ViewResult>> out) {
      String key = group.getKey().getKey();
      long tile = group.getKey().getValue();
      SortedMap<Long, ViewAccumulator> windows = new TreeMap<>();
      group
          .getValue()
          .forEach(
              (start, slice) ->
                  tiles.forEachWindow(
                      start,
                      tile,
                      window ->
                          windows.computeIfAbsent(window, w -> metrics.createAccumulator()).merge(slice)));
      windows.forEach(
          (start, window) ->
              out.outputWithTimestamp(
                  KV.of(key, metrics.extractOutput(window)), new Instant(start + tiles.size() - 1)));
    }
  }

  /**
   * The one window of a given length that ends just after an element's timestamp: puts a result
   * stamped with its window's last instant back into that window.
   */
  private static final class WindowEndingAtTimestamp extends NonMergingWindowFn<Object, IntervalWindow> {
    private final Duration size;

    WindowEndingAtTimestamp(Duration size) {
      this.size = size;
    }

    @Override
    public Collection<IntervalWindow> assignWindows(AssignContext context) {
      Instant end = context.timestamp().plus(Duration.millis(1));
      return List.of(new IntervalWindow(end.minus(size), end));
    }

    @Override
    public boolean isCompatible(WindowFn<?, ?> other) {
      return equals(other);
    }

    @Override
    public Coder<IntervalWindow> windowCoder() {
      return IntervalWindow.getCoder();
    }

    @Override
    public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
      throw new UnsupportedOperationException("results put back into their windows are no side input");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WindowEndingAtTimestamp that && that.size.equals(size);
    }

    @Override
    public int hashCode() {
      return size.hashCode();
    }
  }
}
