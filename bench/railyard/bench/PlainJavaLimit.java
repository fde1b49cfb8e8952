package railyard.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.file.DataFileReader;
import railyard.bench.RawLakeFiles.RawRecord;
import railyard.bench.RawLakeFiles.ReceiptRange;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;
import railyard.spec.PipelineSpec;

/**
 * The limit: the bench pipeline's work done by one thread of plain Java, as fast as it simply
 * goes. It reads every raw lake file of a spec in path order, parses and validates each payload
 * ({@link EventRules}, the same Jackson streaming parser as the pipeline), drops duplicates, and
 * computes every view, then prints the same {@code BENCH-RESULT} line as {@link BenchRun}.
 *
 * <p>Every valid first copy is kept per key as two primitive arrays (event time, amount). At the
 * end each key's events are sorted by event time once, and each view is one sweep over them:
 * fixed and sliding windows close as the sweep passes their end, sessions close at a gap. This
 * keeps 16 bytes per event instead of a hash entry per (key, window): with a million keys, nearly
 * every event opens its own five sliding windows, some 50 million entries for 10 million events.
 *
 * <pre>
 * java -Xmx8g ... railyard.bench.PlainJavaLimit --spec=bench/specs/skewed-keys.yaml --case=limit
 * </pre>
 */
public final class PlainJavaLimit {
  private PlainJavaLimit() {}

  public static void main(String[] args) throws IOException {
    Measurement measurement = Measurement.begin();
    RefArgs options = RefArgs.parse(args);
    PipelineSpec spec = options.spec();
    Work work = new Work(spec);
    long jvmMillisBeforeRun = Measurement.sinceJvmStartMillis();
    List<Path> files = RawLakeFiles.list(spec);

    measurement.startTimer();
    for (Path file : files) {
      work.read(file);
    }
    List<ViewCheck> views = work.computeViews();
    measurement.stopTimer();

    long servingRows = views.stream().mapToLong(ViewCheck::rows).sum();
    System.out.println(ViewCheck.line("plain-java", views));
    measurement
        .put("case", options.caseName())
        .put("runner", "plain-java")
        .put("mode", "batch")
        .put("input", "lake")
        .put("servingRows", servingRows)
        .put("duplicates", work.duplicates)
        .put("unique", work.ids.size())
        .put("deadLetters", work.received - work.valid)
        .put("jvmMillisBeforeRun", jvmMillisBeforeRun);
    System.out.println(measurement.resultLine(work.received));
  }

  /** The run's state: counters, the ids seen, and every unique event's time and amount by key. */
  private static final class Work {
    final PipelineSpec spec;
    final EventRules rules;
    final ReceiptRange range;
    final Set<String> ids = new HashSet<>();
    final Map<String, KeyEvents> byKey = new HashMap<>();
    long received;
    long valid;
    long duplicates;

    Work(PipelineSpec spec) {
      this.spec = spec;
      this.rules = new EventRules(spec);
      this.range = ReceiptRange.of(spec);
    }

    void read(Path file) throws IOException {
      EventRules.Event event = new EventRules.Event();
      try (DataFileReader<RawRecord> reader = RawLakeFiles.open(file)) {
        RawRecord record = null;
        while (reader.hasNext()) {
          record = reader.next(record);
          if (!range.contains(record.receivedAt)) {
            continue;
          }
          received++;
          if (!rules.read(
              record.receivedAt, record.bytes(), record.offset(), record.length(), event)) {
            continue;
          }
          valid++;
          // Copies are byte-identical and files are read in path (receipt) order, so the first
          // copy seen is the one received first, and which copy is kept changes no result.
          if (!ids.add(event.id)) {
            duplicates++;
            continue;
          }
          byKey.computeIfAbsent(event.key, k -> new KeyEvents()).add(event.eventTime, event.amount);
        }
      }
    }

    List<ViewCheck> computeViews() {
      List<ViewSpec> views = spec.views();
      List<Sweep> sweeps = new ArrayList<>();
      for (ViewSpec view : views) {
        sweeps.add(Sweep.of(view.window()));
      }
      Totals[] totals = new Totals[views.size()];
      for (int v = 0; v < totals.length; v++) {
        totals[v] = new Totals();
      }
      for (Map.Entry<String, KeyEvents> entry : byKey.entrySet()) {
        KeyEvents events = entry.getValue();
        events.sortByTime();
        for (int v = 0; v < totals.length; v++) {
          sweeps.get(v).run(entry.getKey(), events, totals[v]);
        }
      }
      List<ViewCheck> checks = new ArrayList<>();
      for (int v = 0; v < totals.length; v++) {
        Totals t = totals[v];
        checks.add(new ViewCheck(views.get(v).name(), t.rows, t.events, t.spend, t.rowHash));
      }
      return checks;
    }
  }

  /** One key's unique events: event times and amounts (NaN for none) in parallel arrays. */
  static final class KeyEvents {
    long[] times = new long[4];
    double[] amounts = new double[4];
    int size;
    // Scratch for merging, shared by all keys: sorting happens one key at a time.
    private static long[] timeScratch = new long[0];
    private static double[] amountScratch = new double[0];

    void add(long time, double amount) {
      if (size == times.length) {
        times = java.util.Arrays.copyOf(times, size * 2);
        amounts = java.util.Arrays.copyOf(amounts, size * 2);
      }
      times[size] = time;
      amounts[size] = amount;
      size++;
    }

    void sortByTime() {
      if (timeScratch.length < size) {
        timeScratch = new long[size];
        amountScratch = new double[size];
      }
      mergeSort(0, size);
    }

    /** Sorts [from, to) by time, carrying amounts along. Events come nearly in order. */
    private void mergeSort(int from, int to) {
      if (to - from <= 16) {
        insertionSort(from, to);
        return;
      }
      int mid = (from + to) >>> 1;
      mergeSort(from, mid);
      mergeSort(mid, to);
      if (times[mid - 1] <= times[mid]) {
        return; // already in order: the common case
      }
      // Merge the left half, copied out, with the right half in place.
      int leftSize = mid - from;
      System.arraycopy(times, from, timeScratch, 0, leftSize);
      System.arraycopy(amounts, from, amountScratch, 0, leftSize);
      int i = 0;
      int j = mid;
      int k = from;
      while (i < leftSize && j < to) {
        if (timeScratch[i] <= times[j]) {
          times[k] = timeScratch[i];
          amounts[k++] = amountScratch[i++];
        } else {
          times[k] = times[j];
          amounts[k++] = amounts[j++];
        }
      }
      while (i < leftSize) {
        times[k] = timeScratch[i];
        amounts[k++] = amountScratch[i++];
      }
    }

    private void insertionSort(int from, int to) {
      for (int i = from + 1; i < to; i++) {
        long time = times[i];
        double amount = amounts[i];
        int j = i - 1;
        while (j >= from && times[j] > time) {
          times[j + 1] = times[j];
          amounts[j + 1] = amounts[j];
          j--;
        }
        times[j + 1] = time;
        amounts[j + 1] = amount;
      }
    }
  }

  /** One view's results so far: every row counted into the check, none stored. */
  static final class Totals {
    long rows;
    long events;
    double spend;
    long rowHash;

    void row(String key, long start, long end, long count, double sum) {
      rows++;
      events += count;
      spend += sum;
      rowHash += ViewCheck.rowHash(key, start, end, count);
    }
  }

  /** A view's windows computed over one key's events, sorted by time. */
  interface Sweep {
    void run(String key, KeyEvents events, Totals out);

    static Sweep of(WindowSpec window) {
      switch (window.kind()) {
        case FIXED:
          // A fixed window is a sliding one that starts every `size`.
          return new AlignedSweep(window.size().getMillis(), window.size().getMillis());
        case SLIDING:
          return new AlignedSweep(window.size().getMillis(), window.period().getMillis());
        case SESSION:
          return new SessionSweep(window.gap().getMillis());
        default:
          throw new IllegalArgumentException("unknown window " + window.kind());
      }
    }
  }

  /**
   * Windows of {@code size} starting at every multiple of {@code period}, as Beam's FixedWindows
   * and SlidingWindows assign them: an event at t is in each window whose start s is a multiple of
   * the period with t - size < s <= t. In time order, the open windows are always one contiguous
   * run of starts, at most size/period of them, held in a ring indexed by start / period.
   */
  static final class AlignedSweep implements Sweep {
    private final long size;
    private final long period;
    private final long[] counts;
    private final double[] sums;

    AlignedSweep(long size, long period) {
      this.size = size;
      this.period = period;
      int slots = (int) ((size + period - 1) / period);
      counts = new long[slots];
      sums = new double[slots];
    }

    @Override
    public void run(String key, KeyEvents events, Totals out) {
      long openFrom = 0; // first open start
      long openTo = -period; // last open start; openFrom > openTo: none open
      for (int e = 0; e < events.size; e++) {
        long time = events.times[e];
        long last = time - Math.floorMod(time, period);
        long first = last;
        while (first - period > time - size) {
          first -= period;
        }
        // Windows starting before this event's first get nothing more: later events are later.
        while (openFrom <= openTo && openFrom < first) {
          emit(key, openFrom, out);
          openFrom += period;
        }
        if (openFrom > openTo) {
          openFrom = first;
          openTo = first - period;
        }
        for (long start = openTo + period; start <= last; start += period) {
          counts[slot(start)] = 0;
          sums[slot(start)] = 0;
        }
        openTo = Math.max(openTo, last);
        double amount = events.amounts[e];
        for (long start = first; start <= last; start += period) {
          int slot = slot(start);
          counts[slot]++;
          if (!Double.isNaN(amount)) {
            sums[slot] += amount;
          }
        }
      }
      for (long start = openFrom; start <= openTo; start += period) {
        emit(key, start, out);
      }
    }

    private int slot(long start) {
      return (int) Math.floorMod(Math.floorDiv(start, period), (long) counts.length);
    }

    private void emit(String key, long start, Totals out) {
      int slot = slot(start);
      out.row(key, start, start + size, counts[slot], sums[slot]);
    }
  }

  /**
   * Sessions as Beam merges them: each event's window is [t, t + gap) and windows merge while
   * they overlap, so in time order a session ends where the next event is gap or more later.
   */
  static final class SessionSweep implements Sweep {
    private final long gap;

    SessionSweep(long gap) {
      this.gap = gap;
    }

    @Override
    public void run(String key, KeyEvents events, Totals out) {
      if (events.size == 0) {
        return;
      }
      long start = events.times[0];
      long last = start;
      long count = 0;
      double sum = 0;
      for (int e = 0; e < events.size; e++) {
        long time = events.times[e];
        if (time - last >= gap) {
          out.row(key, start, last + gap, count, sum);
          start = time;
          count = 0;
          sum = 0;
        }
        last = time;
        count++;
        double amount = events.amounts[e];
        if (!Double.isNaN(amount)) {
          sum += amount;
        }
      }
      out.row(key, start, last + gap, count, sum);
    }
  }
}
