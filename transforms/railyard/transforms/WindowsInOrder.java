package railyard.transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.ValueState;
import org.joda.time.Instant;
import railyard.model.ServingRow;

/**
 * Holds a key's view rows in state until the watermark passes their window's end, then hands them
 * over in window order: rules judge complete windows, in order, whatever order the rows arrived
 * in. The caller's stateful DoFn owns the bag, the earliest pending end and an event-time timer.
 */
final class WindowsInOrder {
  private WindowsInOrder() {}

  /** Keeps {@code row} until its window is complete, setting the timer if it ends first. */
  static void hold(
      ServingRow row, BagState<ServingRow> waiting, ValueState<Long> judgeAt, Timer judge) {
    waiting.add(row);
    long at = row.windowEnd() - 1;
    Long current = judgeAt.read();
    if (current == null || at < current) {
      judge.set(new Instant(at));
      judgeAt.write(at);
    }
  }

  /**
   * The held rows whose windows are complete at {@code now}, oldest window first; the others stay
   * held, with the timer set for the earliest of them.
   */
  static List<ServingRow> takeComplete(
      long now, BagState<ServingRow> waiting, ValueState<Long> judgeAt, Timer judge) {
    List<ServingRow> due = new ArrayList<>();
    List<ServingRow> later = new ArrayList<>();
    for (ServingRow row : waiting.read()) {
      (row.windowEnd() - 1 <= now ? due : later).add(row);
    }
    due.sort(Comparator.comparingLong(ServingRow::windowStart).thenComparingLong(ServingRow::windowEnd));
    waiting.clear();
    later.forEach(waiting::add);
    judgeAt.clear();
    later.stream()
        .mapToLong(row -> row.windowEnd() - 1)
        .min()
        .ifPresent(
            at -> {
              judge.set(new Instant(at));
              judgeAt.write(at);
            });
    return due;
  }
}
