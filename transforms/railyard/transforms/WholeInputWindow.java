package railyard.transforms;

import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;

/**
 * One session window far longer than any bounded input spans, for a combine that must see all of
 * a key's values at once. A merging window is how the combine is planned, not what it means:
 * Flink's batch runner combines merging windows in a single sort by key, where a combine or a
 * grouping in the global window costs a second sort before the shuffle, one that folds nothing
 * when values were folded already or every key is rare. Each result is stamped with its earliest
 * value's time ({@code EARLIEST}), so it holds the watermark where its values did on the runners
 * that track one in batch (the Direct runner), and what follows sees no late data.
 */
final class WholeInputWindow {
  /** Longer than any bounded input's span of event times: all of a key's values merge into one. */
  private static final Duration GAP = Duration.standardDays(366L * 1000);

  private WholeInputWindow() {}

  static <T> Window<T> earliest() {
    return Window.<T>into(Sessions.withGapDuration(GAP)).withTimestampCombiner(TimestampCombiner.EARLIEST);
  }
}
