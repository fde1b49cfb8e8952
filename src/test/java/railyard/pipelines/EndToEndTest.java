package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import railyard.io.generator.EventGenerator;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;
import railyard.schema.ViewSpec;
import railyard.spec.PipelineSpec;
import railyard.transforms.HealthView;
import railyard.transforms.RailyardMetrics;

/**
 * The whole job, generator to serving store, on each runner in each mode (Direct, Flink and Spark;
 * batch and streaming; Spark in batch only, as it refuses to stream). Every run must give the
 * final serving rows of an independent plain-Java model of the same generated events, so batch and
 * streaming, and Direct, Flink and Spark, all agree with each other.
 */
@RunWith(Parameterized.class)
public class EndToEndTest {
  private static final String SPEC = "src/test/resources/specs/e2e.yaml";

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Map<String, Run> RUNS = new HashMap<>();
  private static Model model;

  @Parameters(name = "{0} {1}")
  public static List<Object[]> runs() {
    List<Object[]> runs = new ArrayList<>();
    // -De2e.runners=DirectRunner (or -De2e.modes=batch) narrows the matrix while developing.
    for (String runner : System.getProperty("e2e.runners", "DirectRunner,FlinkRunner,SparkRunner").split(",")) {
      for (String mode : System.getProperty("e2e.modes", "batch,streaming").split(",")) {
        // Spark's streaming runner has no timers, so a stream on Spark stops at launch (LaunchTest).
        if (!(runner.equals("SparkRunner") && mode.equals("streaming"))) {
          runs.add(new Object[] {runner, mode});
        }
      }
    }
    return runs;
  }

  private final String runner;
  private final String mode;

  public EndToEndTest(String runner, String mode) {
    this.runner = runner;
    this.mode = mode;
  }

  /** One run's outputs: its summary, the serving store's merged rows, and its folders. */
  record Run(RunSummary summary, Map<String, ServingRow> rows, File out) {}

  /** What the model says the job must produce. */
  record Model(
      Map<String, ModelViews.Expected> rows, long events, long invalid, long duplicates, long valid) {}

  private Run run() throws Exception {
    return run(runner + "-" + mode);
  }

  /** The job on this case's runner and mode, once per name, with {@code more} arguments. */
  private Run run(String name, String... more) throws Exception {
    if (!RUNS.containsKey(name)) {
      File out = new File(TMP.getRoot(), name);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--spec=" + SPEC,
                  "--mode=" + mode,
                  "--runner=" + runner,
                  "--lake=" + new File(out, "lake"),
                  "--warehouse=" + new File(out, "warehouse"),
                  "--serving=" + new File(out, "serving.db")));
      args.addAll(List.of(more));
      String[] argv = args.toArray(String[]::new);
      RailyardOptions options = PipelineOptionsFactory.fromArgs(argv).as(RailyardOptions.class);
      PipelineSpec spec = Railyard.loadSpec(options);
      RunSummary summary = Railyard.run(spec, options, argv);
      summary.print(System.out);
      RUNS.put(name, new Run(summary, mergedRows(spec), out));
    }
    return RUNS.get(name);
  }

  private static Map<String, ServingRow> mergedRows(PipelineSpec spec) {
    Map<String, ServingRow> rows = new TreeMap<>();
    try (ServingStore store = ServingStore.open(spec.outputs().serving())) {
      for (ViewSpec view : spec.views()) {
        for (ServingRow row : store.readMerged(view.name())) {
          rows.put(row.view() + "|" + row.key() + "|" + row.windowStart() + "|" + row.windowEnd(), row);
        }
      }
    }
    return rows;
  }

  private static synchronized Model model() {
    if (model == null) {
      RailyardOptions options =
          PipelineOptionsFactory.fromArgs("--spec=" + SPEC).as(RailyardOptions.class);
      PipelineSpec spec = Railyard.loadSpec(options);
      EventGenerator generator =
          new EventGenerator(
              spec.source().generator(), spec.schema(), spec.dedupe().key(), spec.eventTime().field());
      ModelRecords records = new ModelRecords(spec);
      List<ModelRecords.Valid> valid = new ArrayList<>();
      long events = spec.source().generator().events();
      for (long i = 0; i < events; i++) {
        records.accept(generator.event(i)).ifPresent(valid::add);
      }
      model =
          new Model(
              ModelViews.compute(spec.views(), valid),
              events,
              records.invalid,
              records.duplicates,
              valid.size() + records.duplicates);
    }
    return model;
  }

  @Test
  public void servesTheModelsWindowsAndNoOthers() throws Exception {
    List<String> missing = new ArrayList<>(model().rows().keySet());
    missing.removeAll(run().rows().keySet());
    List<String> extra = new ArrayList<>(run().rows().keySet());
    extra.removeAll(model().rows().keySet());
    assertThat("windows the job did not serve", missing, empty());
    assertThat("windows the model does not have", extra, empty());
  }

  /**
   * A batch replay of the generator run's raw lake, many hour files read in any order. The Direct
   * runner moves its watermark while a bounded read is still being processed; rows stamped back
   * to their event time must not fall behind it (they once landed in later windows).
   */
  @Test
  public void aBatchReplayOfItsLakeServesTheModelsWindowsAndCounts() throws Exception {
    assumeTrue(
        "one replay, on the runner that checks watermarks",
        runner.equals("DirectRunner") && mode.equals("batch"));
    String replay = "DirectRunner-batch-replay";
    copyTree(run().out().toPath().resolve("lake/raw"), TMP.getRoot().toPath().resolve(replay + "/lake/raw"));
    Map<String, ServingRow> replayed =
        run(
                replay,
                "--source=lake",
                "--from=2026-03-01T00:00:00Z",
                "--to=2026-03-02T00:00:00Z",
                "--enforceImmutability=false",
                "--enforceEncodability=false")
            .rows();
    assertThat(replayed.keySet(), equalTo(model().rows().keySet()));
    model().rows().forEach(
        (window, expected) ->
            assertThat(window, replayed.get(window).eventCount(), equalTo(expected.events())));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  @Test
  public void servesTheModelsCountsAndMetrics() throws Exception {
    Map<String, ServingRow> rows = run().rows();
    model().rows().forEach(
        (window, expected) -> {
          ServingRow row = rows.get(window);
          if (row == null) {
            return; // reported by servesTheModelsWindowsAndNoOthers
          }
          assertThat(window + " events", row.eventCount(), equalTo(expected.events()));
          assertThat(window + " metrics", row.metrics().keySet(), equalTo(expected.metrics().keySet()));
          // Exactly: a sum is the true sum rounded once, whatever the runner, mode or order.
          expected.metrics().forEach(
              (metric, value) ->
                  assertThat(window + " " + metric, row.metrics().get(metric), equalTo(value)));
        });
  }

  @Test
  public void servesHealthCountsOfEveryEventOnce() throws Exception {
    Map<String, Double> totals = new HashMap<>();
    try (ServingStore store = ServingStore.open(new File(run().out(), "serving.db").getPath())) {
      for (ServingRow row : store.readMerged(HealthView.NAME)) {
        row.metrics().forEach((metric, value) -> totals.merge(metric, value, Double::sum));
      }
    }
    assertThat(totals.get(HealthView.RECEIVED), equalTo((double) model().events()));
    assertThat(totals.get(HealthView.DEAD_LETTERS), equalTo((double) model().invalid()));
    assertThat(
        totals.get(HealthView.UNIQUE), equalTo((double) (model().valid() - model().duplicates())));
    assertThat(totals.get(HealthView.VALID), equalTo((double) model().valid()));
    assertThat(totals.get(HealthView.DUPLICATES), equalTo((double) model().duplicates()));
    double byReason =
        totals.entrySet().stream()
            .filter(e -> e.getKey().startsWith(HealthView.INVALID_PREFIX)
                && !e.getKey().equals(HealthView.INVALID_RATIO))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    assertThat(byReason, equalTo((double) model().invalid()));
  }

  @Test
  public void writesTheLayerOfItsMode() throws Exception {
    ServingRow.Layer layer = mode.equals("batch") ? ServingRow.Layer.BATCH : ServingRow.Layer.SPEED;
    run().rows().values().forEach(row -> assertThat(row.layer(), equalTo(layer)));
  }

  @Test
  public void countsEveryEventOnceAsValidOrDeadLetter() throws Exception {
    RunSummary summary = run().summary();
    assertThat("received", summary.counter(RailyardMetrics.RECEIVED), equalTo(model().events()));
    assertThat("dead letters", summary.deadLetterTotal(), equalTo(model().invalid()));
    assertThat("valid", summary.counter(RailyardMetrics.VALID), equalTo(model().valid()));
    assertThat("duplicates", summary.counter(RailyardMetrics.DUPLICATES), equalTo(model().duplicates()));
  }

  @Test
  public void keepsEveryReceivedEventInTheRawLakeOnce() throws Exception {
    assertThat(
        OutputFiles.avroRecords(run().out().toPath().resolve("lake/raw")), equalTo(model().events()));
  }

  @Test
  public void writesEveryRejectedRecordAsADeadLetter() throws Exception {
    assertThat(
        OutputFiles.jsonLines(run().out().toPath().resolve("lake/deadletter")),
        equalTo(model().invalid()));
  }

  @Test
  public void writesOneWarehouseRowPerUniqueValidEvent() throws Exception {
    assertThat(
        OutputFiles.parquetRows(run().out().toPath().resolve("warehouse")),
        equalTo(model().valid() - model().duplicates()));
  }
}
