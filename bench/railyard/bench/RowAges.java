package railyard.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.beam.sdk.transforms.DoFn;
import railyard.model.ServingRow;

/**
 * Records, for every serving row, its age when written: now minus the newest event time it counts
 * (the view metric {@code newest}). The histogram is static: the embedded runners execute in this
 * JVM, and the run reads it when the pipeline ends. Only rows written while events are being sent
 * count: not during the warm-up, nor the final rows written when the stream ends, whose newest
 * events are as old as the run.
 */
final class RowAges extends DoFn<ServingRow, Void> {
  static final String NEWEST = "newest";
  static final Histogram AGES_MILLIS = new ConcurrentHistogram(3_600_000L, 3);
  static volatile long recordFromMillis = Long.MAX_VALUE;
  static volatile long recordUntilMillis = Long.MAX_VALUE;

  @ProcessElement
  public void process(@Element ServingRow row) {
    long now = System.currentTimeMillis();
    Double newest = row.metrics().get(NEWEST);
    // Only speculative panes: one fires because new events arrived, so its newest event time is
    // the newest event it carries. An on-time pane fires when the watermark passes, new events or
    // not, and its age would be how long its key had been quiet, not how long an event took.
    if (now >= recordFromMillis
        && now < recordUntilMillis
        && "EARLY".equals(row.pane())
        && newest != null
        && !newest.isNaN()) {
      AGES_MILLIS.recordValue(Math.max(0, now - newest.longValue()));
    }
  }
}
