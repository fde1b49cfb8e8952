package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * Slow (15 to 60 s each): a streaming job stopped and started again with the same consumer group,
 * afresh (from the offsets the group committed) or resumed from its last checkpoint. Offsets are
 * committed when a Flink checkpoint completes ({@code --checkpointingInterval=1000} here). A fresh
 * start does not restore the first run's state, so its deduplication starts empty: the two batches
 * use different seeds, so no event of the second is a resend of one in the first.
 */
@RunWith(JUnit4.class)
public class KafkaRestartTest {
  private static final int BATCH = 1_000;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @BeforeClass
  public static void broker() throws Exception {
    KafkaBroker.ensureRunning();
  }

  private static Set<String> ids(EventGenerator generator) {
    Set<String> ids = new HashSet<>();
    for (long i = 0; i < BATCH; i++) {
      ids.add(generator.eventId(generator.originalOf(i)));
    }
    return ids;
  }

  /**
   * Runs the job until the lake holds {@code records}, the warehouse {@code rows} and the group has
   * committed {@code records}: a stop when everything read has been written.
   */
  private static void runUntil(Path spec, JobOutputs outputs, String group, int records, int rows)
      throws Exception {
    PipelineResult job = KafkaJobRun.start(spec, outputs.lake().getParent());
    try {
      KafkaJobRun.await(
          Duration.standardSeconds(60),
          () ->
              outputs.lakeSources().size() >= records
                  && outputs.warehouseValues("event_id").size() >= rows
                  && KafkaBroker.committedRecords(group) >= records);
    } finally {
      job.cancel();
    }
  }

  @Test
  public void resumesFromCommittedOffsetsWithNothingLostOrReadTwice() throws Exception {
    String topic = KafkaBroker.newTopic("restart", 2);
    String group = "railyard-" + topic;
    Path spec = KafkaJobRun.spec(folder.getRoot().toPath(), topic, group);
    PipelineSpec loaded = SpecLoader.load(spec);
    EventGenerator first = KafkaJobRun.generator(loaded, BATCH, 7);
    EventGenerator second = KafkaJobRun.generator(loaded, BATCH, 8);
    JobOutputs outputs = new JobOutputs(folder.newFolder("out").toPath());

    Set<String> expected = new HashSet<>(ids(first));
    expected.addAll(ids(second));

    ProduceGeneratedEvents.produce(first, 0, BATCH, KafkaBroker.BOOTSTRAP, topic);
    runUntil(spec, outputs, group, BATCH, ids(first).size());
    ProduceGeneratedEvents.produce(second, 0, BATCH, KafkaBroker.BOOTSTRAP, topic);
    runUntil(spec, outputs, group, 2 * BATCH, expected.size());

    List<String> sources = outputs.lakeSources();
    assertThat("lake records", sources.size(), equalTo(2 * BATCH));
    assertThat("distinct lake sources", new HashSet<>(sources).size(), equalTo(2 * BATCH));
    List<String> warehouse = outputs.warehouseValues("event_id");
    assertThat("warehouse rows", warehouse.size(), equalTo(expected.size()));
    assertThat("warehouse ids", new HashSet<>(warehouse), equalTo(expected));
    assertThat("committed", KafkaBroker.committedRecords(group), equalTo(2L * BATCH));
  }

  /**
   * The restart guarantee: a job cancelled mid-stream (right after its first offset
   * commit, with records in its windows and in flight) and started again from its last checkpoint
   * ({@code --resumeFrom} the folder its checkpoints went to) counts every event exactly once: each
   * record in the lake once, each event id in the warehouse once, and the served totals equal to
   * the distinct events. The restored source also reads from the group's committed offsets
   * (apache/beam#31313); records read again are dropped by offset, and what the first run had
   * landed after its checkpoint is not landed again.
   */
  @Test
  public void aJobStoppedMidStreamAndResumedFromItsCheckpointCountsEveryEventOnce()
      throws Exception {
    String topic = KafkaBroker.newTopic("resume", 2);
    String group = "railyard-" + topic;
    Path spec = KafkaJobRun.spec(folder.getRoot().toPath(), topic, group);
    PipelineSpec loaded = SpecLoader.load(spec);
    // Live events: the first run is stopped with them in open windows.
    EventGenerator first = KafkaJobRun.live(loaded, BATCH, 7);
    Set<String> expected = new HashSet<>(ids(first));
    JobOutputs outputs = new JobOutputs(folder.newFolder("out").toPath());
    Path checkpoints = folder.newFolder("checkpoints").toPath();
    String keepCheckpoints = "--stateBackendStoragePath=" + checkpoints.toUri();

    ProduceGeneratedEvents.produce(first, 0, BATCH, KafkaBroker.BOOTSTRAP, topic);
    PipelineResult stopped = KafkaJobRun.start(spec, outputs.lake().getParent(), keepCheckpoints);
    try {
      KafkaJobRun.await(
          Duration.standardSeconds(60), () -> KafkaBroker.committedRecords(group) > 0);
    } finally {
      stopped.cancel();
    }
    // Mid-stream: records whose offsets are committed are not in the warehouse yet (they are in
    // open windows), so a fresh start would never count them; only the restored state does.
    long committedAtStop = KafkaBroker.committedRecords(group);
    assertThat(
        "warehouse rows when stopped, below the " + committedAtStop + " records committed",
        (long) outputs.warehouseValues("event_id").size(),
        lessThan(committedAtStop));
    EventGenerator second = KafkaJobRun.live(loaded, BATCH, 8);
    expected.addAll(ids(second));
    ProduceGeneratedEvents.produce(second, 0, BATCH, KafkaBroker.BOOTSTRAP, topic);
    PipelineResult resumed =
        KafkaJobRun.start(
            spec, outputs.lake().getParent(), keepCheckpoints, "--resumeFrom=" + checkpoints);
    try {
      KafkaJobRun.await(
          Duration.standardSeconds(150),
          () ->
              outputs.lakeSources().size() >= 2 * BATCH
                  && outputs.warehouseValues("event_id").size() >= expected.size()
                  && outputs.servedEvents(KafkaJobRun.VIEW) >= expected.size()
                  && KafkaBroker.committedRecords(group) >= 2 * BATCH);
    } finally {
      resumed.cancel();
    }

    List<String> sources = outputs.lakeSources();
    assertThat("lake records", sources.size(), equalTo(2 * BATCH));
    assertThat("distinct lake records", new HashSet<>(sources).size(), equalTo(2 * BATCH));
    List<String> warehouse = outputs.warehouseValues("event_id");
    assertThat("warehouse rows", warehouse.size(), equalTo(expected.size()));
    assertThat("warehouse ids", new HashSet<>(warehouse), equalTo(expected));
    assertThat(
        "served events", outputs.servedEvents(KafkaJobRun.VIEW), equalTo((long) expected.size()));
    assertThat("committed", KafkaBroker.committedRecords(group), equalTo(2L * BATCH));
  }

  /**
   * A job cancelled mid-stream, right after its first offset commit, and started afresh with the
   * same group: the lake was written before the commit, so the records the first run committed
   * are there, and the records it landed after its last commit, read again by the second run, are
   * recognised by their offsets and not landed twice. Every record is in the lake exactly once.
   */
  @Test
  public void aStopMidStreamLosesNothingAndLandsEveryRecordOnce() throws Exception {
    String topic = KafkaBroker.newTopic("restart-mid", 2);
    String group = "railyard-" + topic;
    Path spec = KafkaJobRun.spec(folder.getRoot().toPath(), topic, group);
    PipelineSpec loaded = SpecLoader.load(spec);
    JobOutputs outputs = new JobOutputs(folder.newFolder("out").toPath());
    ProduceGeneratedEvents.produce(
        KafkaJobRun.generator(loaded, BATCH, 7), 0, BATCH, KafkaBroker.BOOTSTRAP, topic);
    PipelineResult first = KafkaJobRun.start(spec, outputs.lake().getParent());
    KafkaJobRun.await(Duration.standardSeconds(60), () -> KafkaBroker.committedRecords(group) > 0);
    first.cancel();
    ProduceGeneratedEvents.produce(
        KafkaJobRun.generator(loaded, BATCH, 8), 0, BATCH, KafkaBroker.BOOTSTRAP, topic);
    runUntil(spec, outputs, group, 2 * BATCH, 0);

    List<String> sources = outputs.lakeSources();
    assertThat("distinct lake records", new HashSet<>(sources).size(), equalTo(2 * BATCH));
    assertThat("lake records", sources.size(), equalTo(2 * BATCH));
    assertThat("committed", KafkaBroker.committedRecords(group), equalTo(2L * BATCH));
  }
}
