package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.generator.EventGenerator;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;

/**
 * Slow (a few minutes each): a streaming job stopped right after its warehouse and dead-letter
 * writes finished files for a window, and resumed with {@code --resumeFrom}. The resumed run
 * restores state from before those files, so it writes the same windows again; the warehouse must
 * still hold each event once and the dead letters each malformed record once.
 */
@RunWith(JUnit4.class)
public class KafkaResumeAfterFileWriteTest {
  private static final int BATCH = 1_000;
  private static final double MALFORMED = 0.05;
  // Long enough that the files (cut a minute after their first row) are finished well before the
  // checkpoint after the first.
  private static final String SLOW_CHECKPOINTS = "--checkpointingInterval=100000";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @BeforeClass
  public static void broker() throws Exception {
    KafkaBroker.ensureRunning();
  }

  /**
   * The hole of issue #4: the stop falls after the window's files were finished and before the
   * next checkpoint completed. The resumed run fires the restored windows again.
   */
  @Test
  public void aStopBetweenAFinishedFileAndTheNextCheckpointWritesEachRowAndDeadLetterOnce()
      throws Exception {
    Run run = new Run("resume-gap");
    PipelineResult stopped = run.start(SLOW_CHECKPOINTS);
    long checkpointBefore;
    try {
      KafkaJobRun.await(Duration.standardSeconds(150), () -> newestCheckpoint(run.checkpoints) > 0);
      checkpointBefore = newestCheckpoint(run.checkpoints);
      run.produce();
      KafkaJobRun.await(
          Duration.standardSeconds(90),
          () -> !finishedFiles(run.outputs.warehouse(), ".parquet").isEmpty());
    } finally {
      stopped.cancel();
    }
    assertThat(
        "warehouse files finished before the stop",
        finishedFiles(run.outputs.warehouse(), ".parquet").size(),
        greaterThan(0));
    assertThat(
        "the stop fell before the next checkpoint",
        newestCheckpoint(run.checkpoints),
        equalTo(checkpointBefore));

    run.resumeAndCheckExactlyOnce();
  }

  /**
   * A stop after the checkpoint that covered the window's files completed: they are published,
   * and the resumed run, restored from that checkpoint, neither writes nor records them again.
   */
  @Test
  public void aStopAfterTheFilesWerePublishedWritesEachRowAndDeadLetterOnce() throws Exception {
    Run run = new Run("resume-published");
    PipelineResult stopped = run.start("--checkpointingInterval=2000");
    try {
      run.produce();
      KafkaJobRun.await(
          Duration.standardSeconds(120),
          () ->
              !run.outputs.warehouseValues("event_id").isEmpty()
                  && KafkaBroker.committedRecords(run.group) >= BATCH);
    } finally {
      stopped.cancel();
    }
    assertThat(
        "warehouse rows when stopped", run.outputs.warehouseValues("event_id").size(), greaterThan(0));

    run.resumeAndCheckExactlyOnce();
  }

  /** One topic, group, spec, outputs and checkpoint folder; 1,000 events, 5% malformed. */
  private final class Run {
    final String topic;
    final String group;
    final Path spec;
    final JobOutputs outputs;
    final Path checkpoints;
    final EventGenerator events;
    final String keepCheckpoints;

    Run(String name) throws Exception {
      topic = KafkaBroker.newTopic(name, 2);
      group = "railyard-" + topic;
      spec = KafkaJobRun.spec(folder.getRoot().toPath(), topic, group);
      PipelineSpec loaded = SpecLoader.load(spec);
      events = KafkaJobRun.generator(loaded, BATCH, 11, MALFORMED);
      outputs = new JobOutputs(folder.newFolder("out").toPath());
      checkpoints = folder.newFolder("checkpoints").toPath();
      keepCheckpoints = "--stateBackendStoragePath=" + checkpoints.toUri();
    }

    PipelineResult start(String... extra) {
      String[] args =
          Stream.concat(Stream.of(keepCheckpoints), Stream.of(extra)).toArray(String[]::new);
      return KafkaJobRun.start(spec, outputs.lake().getParent(), args);
    }

    void produce() throws Exception {
      ProduceGeneratedEvents.produce(events, 0, BATCH, KafkaBroker.BOOTSTRAP, topic);
    }

    /** Resumes from the checkpoint folder and checks every output holds each record once. */
    void resumeAndCheckExactlyOnce() throws Exception {
      Set<String> expectedIds = new HashSet<>();
      long expectedDeadLetters = 0;
      for (long i = 0; i < BATCH; i++) {
        long original = events.originalOf(i);
        if (events.kind(original) == EventGenerator.Kind.MALFORMED) {
          expectedDeadLetters++;
        } else {
          expectedIds.add(events.eventId(original));
        }
      }
      long deadLetters = expectedDeadLetters;
      PipelineResult resumed = start("--resumeFrom=" + checkpoints);
      try {
        KafkaJobRun.await(
            Duration.standardSeconds(150),
            () ->
                KafkaBroker.committedRecords(group) >= BATCH
                    && new HashSet<>(outputs.warehouseValues("event_id")).equals(expectedIds)
                    && outputs.deadLetterSources().size() >= deadLetters
                    && settled());
      } finally {
        resumed.cancel();
      }

      List<String> warehouse = outputs.warehouseValues("event_id");
      assertThat("warehouse ids", new HashSet<>(warehouse), equalTo(expectedIds));
      assertThat("warehouse rows", warehouse.size(), equalTo(expectedIds.size()));
      List<String> letters = outputs.deadLetterSources();
      assertThat("distinct dead letters", new HashSet<>(letters).size(), equalTo((int) deadLetters));
      assertThat("dead letters", letters.size(), equalTo((int) deadLetters));
      assertThat("lake records", outputs.lakeSources().size(), equalTo(BATCH));
      assertThat("committed", KafkaBroker.committedRecords(group), equalTo((long) BATCH));
    }

    private List<Path> lastSeen = List.of();
    private long lastChange = System.currentTimeMillis();

    /** No warehouse or dead-letter file has appeared for 8 s (longer than a late pane's wait). */
    private boolean settled() throws IOException {
      List<Path> now =
          Stream.concat(
                  finishedFiles(outputs.warehouse(), ".parquet").stream(),
                  finishedFiles(outputs.lake().resolve("deadletter"), ".json").stream())
              .sorted()
              .toList();
      if (!now.equals(lastSeen)) {
        lastSeen = now;
        lastChange = System.currentTimeMillis();
      }
      return System.currentTimeMillis() - lastChange >= 8_000;
    }
  }

  /**
   * Files a write has finished, published or not yet: any file with the suffix except Beam's own
   * temporary ones.
   */
  private static List<Path> finishedFiles(Path root, String suffix) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix))
          .filter(p -> !p.toString().contains("/.temp-beam"))
          .filter(p -> !p.toString().contains("/_catalog"))
          .toList();
    }
  }

  /** The highest N of a completed {@code chk-N} under the checkpoint folder; 0 if none. */
  private static long newestCheckpoint(Path checkpoints) throws IOException {
    try (Stream<Path> walk = Files.walk(checkpoints, 3)) {
      return walk.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .mapToLong(p -> Long.parseLong(p.getFileName().toString().substring(4)))
          .max()
          .orElse(0);
    }
  }
}
