package railyard.io.serving;

import java.util.List;

/**
 * What a store can tell about one view from its rows, both layers counted.
 *
 * @param rows how many rows the view has
 * @param firstWindowStart the earliest window start, epoch ms
 * @param lastWindowEnd the latest window end, epoch ms
 * @param lastComputedAt when the newest row was computed, epoch ms
 * @param metricNames the metric names of the newest row, in the view's order
 * @param windowLengths up to {@link #MAX_WINDOW_LENGTHS} distinct window lengths, ms, shortest
 *     first (several for session views)
 */
public record ViewStats(
    String view,
    long rows,
    long firstWindowStart,
    long lastWindowEnd,
    long lastComputedAt,
    List<String> metricNames,
    List<Long> windowLengths) {
  public static final int MAX_WINDOW_LENGTHS = 5;

  public ViewStats {
    metricNames = List.copyOf(metricNames);
    windowLengths = List.copyOf(windowLengths);
  }
}
