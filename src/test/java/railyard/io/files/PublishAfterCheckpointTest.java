package railyard.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.runners.Runners;
import railyard.testing.Counters;
import railyard.transforms.CountElements;
import railyard.transforms.RailyardMetrics;

/**
 * Files a streaming write finished under {@code .pending/} move into their partition once, and a
 * repeated move (a resumed run replaying it from its checkpoint) leaves the published file as it is.
 */
@RunWith(JUnit4.class)
public class PublishAfterCheckpointTest {
  private static final String PARTITION = "dt=2026-01-01/hr=03";
  private static final KvCoder<String, String> PAIR =
      KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());

  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private Path directory() {
    return tmp.getRoot().toPath().resolve("table");
  }

  private Path pending(String name, String content) throws Exception {
    Path file =
        Path.of(PublishAfterCheckpoint.pendingDirectory(directory().toString()), PARTITION, name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  private Path published(String name) {
    return directory().resolve(PARTITION).resolve(name);
  }

  private PCollection<KV<String, String>> publish(PCollection<KV<String, String>> files) {
    return files.apply(PublishAfterCheckpoint.into(directory().toString()));
  }

  @Test
  public void aPendingFileMovesIntoItsPartition() throws Exception {
    Path file = pending("run-a.json", "one\n");

    PAssert.that(publish(pipeline.apply(Create.of(KV.of(PARTITION, file.toString())))))
        .containsInAnyOrder(KV.of(PARTITION, published("run-a.json").toString()));
    pipeline.run().waitUntilFinish();

    assertThat(Files.readString(published("run-a.json")), equalTo("one\n"));
    assertThat(Files.exists(file), is(false));
  }

  @Test
  public void aRepeatedMoveLeavesThePublishedFileAndReportsItAgain() throws Exception {
    Path file = pending("run-a.json", "one\n");
    KV<String, String> move = KV.of(PARTITION, file.toString());

    PAssert.that(publish(pipeline.apply(Create.of(move, move))))
        .containsInAnyOrder(
            KV.of(PARTITION, published("run-a.json").toString()),
            KV.of(PARTITION, published("run-a.json").toString()));
    pipeline.run().waitUntilFinish();

    assertThat(Files.readString(published("run-a.json")), equalTo("one\n"));
    assertThat(WrittenFiles.under(directory()), equalTo(List.of(PARTITION + "/run-a.json")));
  }

  @Test
  public void concurrentRepeatsOfOneMoveAllReportItPublishedAndCountItOnce() throws Exception {
    Path file = pending("run-a.json", "one\n");
    List<KV<String, String>> repeats = Collections.nCopies(64, KV.of(PARTITION, file.toString()));

    PAssert.that(publish(pipeline.apply(Create.of(repeats).withCoder(PAIR))))
        .containsInAnyOrder(
            Collections.nCopies(64, KV.of(PARTITION, published("run-a.json").toString())));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertThat(counter(result, RailyardMetrics.FILES_PUBLISHED), equalTo(1L));
    assertThat(counter(result, RailyardMetrics.FILES_PUBLISHED_AGAIN), equalTo(63L));

    assertThat(Files.readString(published("run-a.json")), equalTo("one\n"));
    assertThat(WrittenFiles.under(directory()), equalTo(List.of(PARTITION + "/run-a.json")));
  }

  @Test
  public void aMoveCountsAsPublishedAndItsRepeatAsPublishedAgain() throws Exception {
    KV<String, String> move = KV.of(PARTITION, pending("run-a.json", "one\n").toString());
    publish(pipeline.apply(Create.of(move, move)));

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertThat(counter(result, RailyardMetrics.FILES_PUBLISHED), equalTo(1L));
    assertThat(counter(result, RailyardMetrics.FILES_PUBLISHED_AGAIN), equalTo(1L));
  }

  /**
   * Flink streaming hands the move its input when a checkpoint completes (the last of it after the
   * final checkpoint), outside the metrics container its elements otherwise run in; the counts and
   * the published pairs must both get through.
   */
  @Test(timeout = 120_000)
  public void flinkStreamingCountsAndHandsOnTheFilesItPublishesAfterACheckpoint() throws Exception {
    String[] args = {"--checkpointingInterval=200"};
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).create();
    Runners.configure(options, args, true);
    options.as(FlinkPipelineOptions.class).setParallelism(1);
    Pipeline flink = Pipeline.create(options);
    KV<String, String> first = KV.of(PARTITION, pending("run-a.json", "one\n").toString());
    KV<String, String> second = KV.of(PARTITION, pending("run-b.json", "two\n").toString());
    publish(flink.apply(Create.of(first, second, first).withCoder(PAIR)))
        .apply(CountElements.as("published_pairs_seen"));

    PipelineResult result = flink.run();
    result.waitUntilFinish();

    assertThat(counter(result, "published_pairs_seen"), equalTo(3L));
    assertThat(counter(result, RailyardMetrics.FILES_PUBLISHED), equalTo(2L));
    assertThat(counter(result, RailyardMetrics.FILES_PUBLISHED_AGAIN), equalTo(1L));
    assertThat(
        WrittenFiles.under(directory()),
        equalTo(List.of(PARTITION + "/run-a.json", PARTITION + "/run-b.json")));
  }

  @Test
  public void aFileNeitherPendingNorPublishedFailsNamingBoth() {
    String gone =
        Path.of(PublishAfterCheckpoint.pendingDirectory(directory().toString()), PARTITION, "x.json")
            .toString();
    publish(pipeline.apply(Create.of(KV.of(PARTITION, gone))));

    Exception e = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("x.json is gone and was never published"));
  }

  @Test
  public void unboundedMovesArePublishedAsTheyArrive() throws Exception {
    Path first = pending("run-a-w1.json", "one\n");
    Path second = pending("run-a-w2.json", "two\n");
    TestStream<KV<String, String>> moves =
        TestStream.create(PAIR)
            .addElements(TimestampedValue.of(KV.of(PARTITION, first.toString()), new Instant(0)))
            .advanceWatermarkTo(new Instant(60_000))
            .addElements(
                TimestampedValue.of(KV.of(PARTITION, second.toString()), new Instant(60_000)))
            .advanceWatermarkToInfinity();

    PAssert.that(publish(pipeline.apply(moves)))
        .containsInAnyOrder(
            KV.of(PARTITION, published("run-a-w1.json").toString()),
            KV.of(PARTITION, published("run-a-w2.json").toString()));
    pipeline.run().waitUntilFinish();

    assertThat(
        WrittenFiles.under(directory()),
        equalTo(List.of(PARTITION + "/run-a-w1.json", PARTITION + "/run-a-w2.json")));
  }

  @Test
  public void anUnboundedWriteReportsOnlyPublishedFilesAndLeavesNothingPending() throws Exception {
    TestStream<String> lines =
        TestStream.create(StringUtf8Coder.of())
            .addElements(TimestampedValue.of("a", new Instant(0)))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .addElements(TimestampedValue.of("b", new Instant(60_000)))
            .advanceWatermarkToInfinity();
    String dir = directory().toString();

    PCollection<KV<String, String>> files =
        pipeline
            .apply(lines)
            .apply(
                PartitionedFileWrite.<String, String>of(
                        line -> PARTITION, line -> line, TextIO.sink(), ".txt")
                    .to(dir));
    PAssert.that(files)
        .satisfies(
            written -> {
              for (KV<String, String> file : written) {
                assertThat(file.getValue(), Files.exists(Path.of(file.getValue())), is(true));
                assertThat(file.getValue(), containsString("/table/" + PARTITION + "/"));
              }
              return null;
            });
    pipeline.run().waitUntilFinish();

    assertThat(WrittenFiles.under(directory().resolve(PublishAfterCheckpoint.PENDING)), empty());
    assertThat(WrittenFiles.under(directory().resolve(PARTITION)).size(), equalTo(2));
  }

  @Test
  public void runnersThatCheckpointTheirInputPublishAfterACheckpoint() {
    assertThat(PublishAfterCheckpoint.supportedBy(options(DirectRunner.class)), is(true));
    PipelineOptions flink = options(FlinkRunner.class);
    flink.as(FlinkPipelineOptions.class).setCheckpointingInterval(10_000L);
    assertThat(PublishAfterCheckpoint.supportedBy(flink), is(true));
  }

  @Test
  public void sparkAndFlinkWithoutCheckpointsWriteInPlace() {
    assertThat(PublishAfterCheckpoint.supportedBy(options(SparkRunner.class)), is(false));
    PipelineOptions flink = options(FlinkRunner.class);
    flink.as(FlinkPipelineOptions.class).setCheckpointingInterval(-1L);
    assertThat(PublishAfterCheckpoint.supportedBy(flink), is(false));
  }

  private static long counter(PipelineResult result, String name) {
    return Counters.sum(result, RailyardMetrics.NAMESPACE, name);
  }

  private static PipelineOptions options(
      Class<? extends org.apache.beam.sdk.PipelineRunner<?>> runner) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(runner);
    return options;
  }
}
