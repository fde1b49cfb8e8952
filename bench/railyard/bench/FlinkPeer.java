package railyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.DoubleCounter;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import railyard.bench.RawLakeFiles.RawRecord;
import railyard.bench.RawLakeFiles.ReceiptRange;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;
import railyard.spec.PipelineSpec;

/**
 * The peer: the bench pipeline's work as a plain Apache Flink DataStream job, no Beam, on an
 * in-process Flink cluster. Lake files are cut into byte ranges on Avro sync markers and spread
 * over the parallel readers, which parse, validate and check skew ({@link EventRules}, as the limit
 * does); {@code keyBy(event id)} with keyed state keeps each id's first copy; each view is {@code
 * keyBy(key)} + an event-time window + an {@link AggregateFunction} (count, sum) into a sink that
 * only counts rows. Prints the same {@code BENCH-RESULT} line as {@link BenchRun}.
 *
 * <pre>
 * java -Xmx8g ... railyard.bench.FlinkPeer --spec=bench/specs/skewed-keys.yaml --case=peer \
 *     [--mode=batch|streaming] [--parallelism=2]
 * </pre>
 *
 * <p>Batch (the default) runs in {@link RuntimeExecutionMode#BATCH}: keyed steps run on sorted
 * input and every window fires once, at the end. Streaming uses watermarks 10 s behind the
 * largest event time seen and the spec's allowed lateness, so late events may update (and count
 * again as) rows or be dropped, as in the pipeline's streaming mode.
 */
public final class FlinkPeer {
  static final String RECEIVED = "received";
  static final String DEAD_LETTERS = "deadLetters";
  static final String UNIQUE = "unique";
  static final String DUPLICATES = "duplicates";
  private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(10);

  private FlinkPeer() {}

  public static void main(String[] args) throws Exception {
    Measurement measurement = Measurement.begin();
    RefArgs options = RefArgs.parse(args, "mode", "parallelism");
    PipelineSpec spec = options.spec();
    boolean streaming = options.get("mode", "batch").equalsIgnoreCase("streaming");
    if (!streaming && !options.get("mode", "batch").equalsIgnoreCase("batch")) {
      throw new IllegalArgumentException("--mode must be batch or streaming");
    }
    int parallelism = options.getInt("parallelism", 2);

    StreamExecutionEnvironment env = environment(parallelism, streaming);
    long jvmMillisBeforeRun = Measurement.sinceJvmStartMillis();
    List<Split> splits = Split.of(RawLakeFiles.list(spec), parallelism, streaming);

    measurement.startTimer();
    build(env, spec, splits, streaming);
    JobExecutionResult result = env.execute("railyard-flink-peer " + spec.name());
    measurement.stopTimer();

    List<ViewCheck> views = new ArrayList<>();
    for (ViewSpec view : spec.views()) {
      views.add(
          new ViewCheck(
              view.name(),
              count(result, CountingSink.ROWS + view.name()),
              count(result, CountingSink.EVENTS + view.name()),
              result.<Double>getAccumulatorResult(CountingSink.SPEND + view.name()),
              count(result, CountingSink.HASH + view.name())));
    }
    System.out.println(ViewCheck.line("flink-datastream", views));
    measurement
        .put("case", options.caseName())
        .put("runner", "flink-datastream")
        .put("mode", streaming ? "streaming" : "batch")
        .put("input", "lake")
        .put("servingRows", views.stream().mapToLong(ViewCheck::rows).sum())
        .put("duplicates", count(result, DUPLICATES))
        .put("unique", count(result, UNIQUE))
        .put("deadLetters", count(result, DEAD_LETTERS))
        .put("parallelism", parallelism)
        .put("jvmMillisBeforeRun", jvmMillisBeforeRun);
    System.out.println(measurement.resultLine(count(result, RECEIVED)));
    System.exit(0);
  }

  private static StreamExecutionEnvironment environment(int parallelism, boolean streaming) {
    Configuration conf = new Configuration();
    conf.set(
        ExecutionOptions.RUNTIME_MODE,
        streaming ? RuntimeExecutionMode.STREAMING : RuntimeExecutionMode.BATCH);
    // Batch jobs otherwise size each stage by the bytes flowing into it; the readers' input is a
    // few split descriptors, so they would run as one task. Every stage runs at --parallelism.
    conf.set(BatchExecutionOptions.ADAPTIVE_AUTO_PARALLELISM_ENABLED, false);
    // The in-process cluster talks to itself only.
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.HOST, "127.0.0.1");
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    // As the Beam Flink runner is run here: no defensive copies; no function mutates its input.
    env.getConfig().enableObjectReuse();
    return env;
  }

  /** Lake splits → events → first copies → one windowed count-and-sum per view → counting sinks. */
  static void build(
      StreamExecutionEnvironment env, PipelineSpec spec, List<Split> splits, boolean streaming) {
    WatermarkStrategy<PeerEvent> watermarks =
        streaming
            ? WatermarkStrategy.<PeerEvent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
            : WatermarkStrategy.<PeerEvent>noWatermarks();
    DataStream<PeerEvent> valid =
        env.fromData(splits, TypeInformation.of(Split.class))
            .name("LakeSplits")
            .rebalance()
            .flatMap(new ReadSplit(new EventRules(spec), ReceiptRange.of(spec)))
            .name("ReadParseValidate")
            .assignTimestampsAndWatermarks(
                watermarks.withTimestampAssigner((event, previous) -> event.eventTime))
            .name("EventTime");
    long horizon = streaming ? spec.dedupe().horizon().getMillis() : 0;
    DataStream<PeerEvent> unique =
        valid
            .keyBy(new ById(), Types.STRING)
            .process(new FirstCopy(horizon))
            .name("Deduplicate");
    for (ViewSpec view : spec.views()) {
      WindowSpec window = view.window();
      unique
          .keyBy(new ByKey(), Types.STRING)
          .window(assigner(window))
          .allowedLateness(Duration.ofMillis(view.allowedLateness().getMillis()))
          .aggregate(new CountAndSum(), new ToViewRow(sessionEndShift(window)))
          .name("View " + view.name())
          .addSink(new CountingSink(view.name()))
          .name("Count " + view.name());
    }
  }

  private static WindowAssigner<Object, TimeWindow> assigner(WindowSpec window) {
    switch (window.kind()) {
      case FIXED:
        return TumblingEventTimeWindows.of(Duration.ofMillis(window.size().getMillis()));
      case SLIDING:
        return SlidingEventTimeWindows.of(
            Duration.ofMillis(window.size().getMillis()),
            Duration.ofMillis(window.period().getMillis()));
      case SESSION:
        // Beam merges two sessions only when they overlap: the next event is less than a gap
        // after the last. Flink also merges windows that merely touch (exactly a gap later). A
        // gap 1 ms shorter makes Flink merge exactly when Beam does; ToViewRow puts the 1 ms back
        // on the window's end.
        return EventTimeSessionWindows.withGap(Duration.ofMillis(window.gap().getMillis() - 1));
      default:
        throw new IllegalArgumentException("unknown window " + window.kind());
    }
  }

  private static long sessionEndShift(WindowSpec window) {
    return window.kind() == WindowSpec.Kind.SESSION ? 1 : 0;
  }

  private static long count(JobExecutionResult result, String name) {
    Long value = result.getAccumulatorResult(name);
    return value == null ? 0 : value;
  }

  /** A byte range of a lake file: the Avro blocks whose sync marker starts in [start, end). */
  public static final class Split {
    public String path;
    public long start;
    public long end;

    public Split() {}

    Split(String path, long start, long end) {
      this.path = path;
      this.start = start;
      this.end = end;
    }

    /**
     * Cuts the files into ranges of about a quarter of each reader's share (1 to 64 MiB), so that
     * even a single-file workload keeps every reader busy and the last ranges even out.
     *
     * <p>In streaming, ranges are 1 MiB (some 10,000 events): a reader emits watermarks only
     * between ranges, since it reads a whole range in one call, so smaller ranges keep the
     * watermark close behind the events instead of jumping a range at a time.
     */
    static List<Split> of(List<Path> files, int parallelism, boolean streaming)
        throws IOException {
      long total = 0;
      for (Path file : files) {
        total += Files.size(file);
      }
      long target =
          streaming
              ? 1L << 20
              : Math.max(1L << 20, Math.min(64L << 20, total / (4L * parallelism)));
      List<Split> splits = new ArrayList<>();
      for (Path file : files) {
        long size = Files.size(file);
        for (long start = 0; start < size; start += target) {
          splits.add(new Split(file.toString(), start, Math.min(size, start + target)));
        }
      }
      return splits;
    }
  }

  /** What flows from parsing to the views: a valid event's id, key, times and amount. */
  public static final class PeerEvent {
    public String id;
    public String key;
    public long eventTime;
    public long receivedAt;
    /** NaN when the event has no amount; sums skip it. */
    public double amount;

    public PeerEvent() {}

    /** The event as the views need it: past deduplication its id is dead weight in 3 shuffles. */
    PeerEvent withoutId() {
      PeerEvent copy = new PeerEvent();
      copy.key = key;
      copy.eventTime = eventTime;
      copy.receivedAt = receivedAt;
      copy.amount = amount;
      return copy;
    }
  }

  /** Reads a split's records in the receipt range and emits the valid events. */
  static final class ReadSplit extends RichFlatMapFunction<Split, PeerEvent> {
    private final EventRules rules;
    private final ReceiptRange range;
    private final LongCounter received = new LongCounter();
    private final LongCounter deadLetters = new LongCounter();

    ReadSplit(EventRules rules, ReceiptRange range) {
      this.rules = rules;
      this.range = range;
    }

    @Override
    public void open(Configuration parameters) {
      getRuntimeContext().addAccumulator(RECEIVED, received);
      getRuntimeContext().addAccumulator(DEAD_LETTERS, deadLetters);
    }

    @Override
    public void flatMap(Split split, Collector<PeerEvent> out) throws IOException {
      EventRules.Event parsed = new EventRules.Event();
      try (DataFileReader<RawRecord> reader = RawLakeFiles.open(Path.of(split.path))) {
        reader.sync(split.start);
        RawRecord record = null;
        while (reader.hasNext() && !reader.pastSync(split.end)) {
          record = reader.next(record);
          if (!range.contains(record.receivedAt)) {
            continue;
          }
          received.add(1);
          if (!rules.read(
              record.receivedAt, record.bytes(), record.offset(), record.length(), parsed)) {
            deadLetters.add(1);
            continue;
          }
          PeerEvent event = new PeerEvent();
          event.id = parsed.id;
          event.key = parsed.key;
          event.eventTime = parsed.eventTime;
          event.receivedAt = parsed.receivedAt;
          event.amount = parsed.amount;
          out.collect(event);
        }
      }
    }
  }

  static final class ById implements KeySelector<PeerEvent, String> {
    @Override
    public String getKey(PeerEvent event) {
      return event.id;
    }
  }

  static final class ByKey implements KeySelector<PeerEvent, String> {
    @Override
    public String getKey(PeerEvent event) {
      return event.key;
    }
  }

  /**
   * Keeps each id's first copy and counts the others. Copies are byte-identical, so which one is
   * first changes no result. In streaming an id is forgotten once the dedupe horizon has passed
   * its receipt (an event-time timer), as the pipeline does; in batch its state ends with its key.
   */
  static final class FirstCopy extends KeyedProcessFunction<String, PeerEvent, PeerEvent> {
    private final long horizonMillis; // 0: never forget (batch)
    private final LongCounter unique = new LongCounter();
    private final LongCounter duplicates = new LongCounter();
    private transient ValueState<Boolean> seen;

    FirstCopy(long horizonMillis) {
      this.horizonMillis = horizonMillis;
    }

    @Override
    public void open(Configuration parameters) {
      seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
      getRuntimeContext().addAccumulator(UNIQUE, unique);
      getRuntimeContext().addAccumulator(DUPLICATES, duplicates);
    }

    @Override
    public void processElement(PeerEvent event, Context context, Collector<PeerEvent> out)
        throws IOException {
      if (seen.value() != null) {
        duplicates.add(1);
        return;
      }
      seen.update(true);
      if (horizonMillis > 0) {
        context.timerService().registerEventTimeTimer(event.receivedAt + horizonMillis);
      }
      unique.add(1);
      out.collect(event.withoutId());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<PeerEvent> out) {
      seen.clear();
    }
  }

  /** A window's running count of events and sum of amounts. */
  public static final class CountSum {
    public long count;
    public double sum;

    public CountSum() {}
  }

  static final class CountAndSum implements AggregateFunction<PeerEvent, CountSum, CountSum> {
    @Override
    public CountSum createAccumulator() {
      return new CountSum();
    }

    @Override
    public CountSum add(PeerEvent event, CountSum acc) {
      acc.count++;
      if (!Double.isNaN(event.amount)) {
        acc.sum += event.amount;
      }
      return acc;
    }

    @Override
    public CountSum getResult(CountSum acc) {
      return acc;
    }

    @Override
    public CountSum merge(CountSum a, CountSum b) {
      a.count += b.count;
      a.sum += b.sum;
      return a;
    }
  }

  /** One result row: a key's count and sum in one window. */
  public static final class ViewRow {
    public String key;
    public long start;
    public long end;
    public long count;
    public double sum;

    public ViewRow() {}
  }

  static final class ToViewRow extends ProcessWindowFunction<CountSum, ViewRow, String, TimeWindow> {
    private final long endShift;

    ToViewRow(long endShift) {
      this.endShift = endShift;
    }

    @Override
    public void process(
        String key, Context context, Iterable<CountSum> results, Collector<ViewRow> out) {
      CountSum result = results.iterator().next();
      ViewRow row = new ViewRow();
      row.key = key;
      row.start = context.window().getStart();
      row.end = context.window().getEnd() + endShift;
      row.count = result.count;
      row.sum = result.sum;
      out.collect(row);
    }
  }

  /** Discards rows, counting them and summing them up for {@link ViewCheck}. */
  static final class CountingSink extends RichSinkFunction<ViewRow> {
    static final String ROWS = "rows/";
    static final String EVENTS = "events/";
    static final String SPEND = "spend/";
    static final String HASH = "rowHash/";

    private final String view;
    private final LongCounter rows = new LongCounter();
    private final LongCounter events = new LongCounter();
    private final DoubleCounter spend = new DoubleCounter();
    private final LongCounter rowHash = new LongCounter(); // wraps around, as the sum should

    CountingSink(String view) {
      this.view = view;
    }

    @Override
    public void open(Configuration parameters) {
      getRuntimeContext().addAccumulator(ROWS + view, rows);
      getRuntimeContext().addAccumulator(EVENTS + view, events);
      getRuntimeContext().addAccumulator(SPEND + view, spend);
      getRuntimeContext().addAccumulator(HASH + view, rowHash);
    }

    @Override
    public void invoke(ViewRow row, Context context) {
      rows.add(1);
      events.add(row.count);
      spend.add(row.sum);
      rowHash.add(ViewCheck.rowHash(row.key, row.start, row.end, row.count));
    }
  }
}
