package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

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
 * Slow (about 30 s): the whole Railyard job, streaming on in-process Flink, reads 2,000 generated
 * events produced to a fresh topic into the raw lake, the warehouse and the serving store.
 *
 * <p>A Kafka read never ends (Beam's KafkaIO has no end of stream; {@code withMaxNumRecords} would
 * turn the job into a bounded one and skip the streaming path under test), so the job runs
 * detached and the test polls the finished output files until they hold every event, or a
 * timeout, then cancels it. The records' timestamps are hours old, so once the reader has caught
 * up the watermark passes every window and all files and final panes are written without waiting
 * for the clock.
 */
@RunWith(JUnit4.class)
public class KafkaJobTest {
  private static final int EVENTS = 2_000;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @BeforeClass
  public static void broker() throws Exception {
    KafkaBroker.ensureRunning();
  }

  @Test
  public void readsEveryProducedEventIntoLakeWarehouseAndServingStore() throws Exception {
    String topic = KafkaBroker.newTopic("job", 2);
    String group = "railyard-" + topic;
    Path spec = KafkaJobRun.spec(folder.getRoot().toPath(), topic, group);
    PipelineSpec loaded = SpecLoader.load(spec);
    EventGenerator generator = KafkaJobRun.generator(loaded, EVENTS);
    ProduceGeneratedEvents.produce(generator, 0, EVENTS, KafkaBroker.BOOTSTRAP, topic);
    Set<String> ids = new HashSet<>();
    for (long i = 0; i < EVENTS; i++) {
      ids.add(generator.eventId(generator.originalOf(i)));
    }
    JobOutputs outputs = new JobOutputs(folder.newFolder("out").toPath());

    PipelineResult job = KafkaJobRun.start(spec, outputs.lake().getParent());
    try {
      KafkaJobRun.await(
          Duration.standardSeconds(90),
          () ->
              outputs.lakeSources().size() >= EVENTS
                  && outputs.warehouseValues("event_id").size() >= ids.size()
                  && outputs.servedEvents(KafkaJobRun.VIEW) >= ids.size()
                  && KafkaBroker.committedRecords(group) >= EVENTS);
    } finally {
      job.cancel();
    }

    List<String> sources = outputs.lakeSources();
    assertThat("lake records", sources.size(), equalTo(EVENTS));
    assertThat("distinct lake sources", new HashSet<>(sources).size(), equalTo(EVENTS));
    List<String> warehouseIds = outputs.warehouseValues("event_id");
    assertThat("warehouse rows", warehouseIds.size(), equalTo(ids.size()));
    assertThat("warehouse ids", new HashSet<>(warehouseIds), equalTo(ids));
    assertThat("dead letters", outputs.deadLetters(), equalTo(0L));
    assertThat("served events", outputs.servedEvents(KafkaJobRun.VIEW), equalTo((long) ids.size()));
    assertThat("committed offsets", KafkaBroker.committedRecords(group), equalTo((long) EVENTS));
  }
}
