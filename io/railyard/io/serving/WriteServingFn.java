package railyard.io.serving;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;
import railyard.model.ServingRow;
import railyard.transforms.RailyardMetrics;

/**
 * Buffers rows and upserts them a batch (one transaction) at a time; emits, per bundle and window,
 * the number of rows written once they are all committed.
 */
final class WriteServingFn extends DoFn<ServingRow, Long> {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final HashSet<String> mergingViews;
  private final int batchSize;
  private final Counter rowsWritten =
      RailyardMetrics.counter(RailyardMetrics.SERVING_ROWS_WRITTEN);
  private final Distribution batchRows =
      RailyardMetrics.distribution(RailyardMetrics.SERVING_BATCH_ROWS);

  private transient ServingStore store;
  private transient List<ServingRow> batch;
  private transient Map<BoundedWindow, Pending> pendingByWindow;
  private transient Map<String, Counter> viewCounters;

  /** Rows of one window in the current bundle, and the latest of their timestamps. */
  private static final class Pending {
    long rows;
    Instant latest = BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  WriteServingFn(String location, Set<String> mergingViews, int batchSize) {
    this.location = location;
    this.mergingViews = new HashSet<>(mergingViews);
    this.batchSize = batchSize;
  }

  @Setup
  public void setup() {
    store = ServingStore.open(location, mergingViews);
    batch = new ArrayList<>(batchSize);
    pendingByWindow = new LinkedHashMap<>();
    viewCounters = new HashMap<>();
  }

  @StartBundle
  public void startBundle() {
    batch.clear();
    pendingByWindow.clear();
  }

  @ProcessElement
  public void processElement(
      @Element ServingRow row, @Timestamp Instant timestamp, BoundedWindow window) {
    batch.add(row);
    Pending pending = pendingByWindow.computeIfAbsent(window, w -> new Pending());
    pending.rows++;
    if (timestamp.isAfter(pending.latest)) {
      pending.latest = timestamp;
    }
    if (batch.size() >= batchSize) {
      flush();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    flush();
    pendingByWindow.forEach(
        (window, pending) -> context.output(pending.rows, pending.latest, window));
    pendingByWindow.clear();
  }

  private void flush() {
    if (batch.isEmpty()) {
      return;
    }
    store.upsert(batch);
    rowsWritten.inc(batch.size());
    batchRows.update(batch.size());
    Map<String, Long> perView = new HashMap<>();
    for (ServingRow row : batch) {
      perView.merge(row.view(), 1L, Long::sum);
    }
    perView.forEach(
        (view, rows) ->
            viewCounters
                .computeIfAbsent(view, v -> RailyardMetrics.counter(RailyardMetrics.SERVING_ROWS + v))
                .inc(rows));
    batch.clear();
  }

  @Teardown
  public void teardown() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
