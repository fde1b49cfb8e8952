package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.spec.SpecLoader;
import railyard.testing.CapturedLog;

/**
 * A Kafka job that starts and runs well prints no stack trace. KafkaIO records its topics as Beam
 * lineage while it splits the source, outside any step, and Beam logged that at ERROR with the
 * caller's frames at the start of every Kafka job. Beam reports it once per process, so this test
 * shows it only where no earlier test in the same JVM started a Kafka job.
 */
@RunWith(JUnit4.class)
public class KafkaCleanLogTest {
  private static final int EVENTS = 200;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @BeforeClass
  public static void broker() throws Exception {
    KafkaBroker.ensureRunning();
  }

  @Test
  public void kafkaJobStartsWithoutAStackTrace() throws Exception {
    String topic = KafkaBroker.newTopic("clean-log", 2);
    Path spec = KafkaJobRun.spec(folder.getRoot().toPath(), topic, "railyard-" + topic);
    ProduceGeneratedEvents.produce(
        KafkaJobRun.generator(SpecLoader.load(spec), EVENTS), 0, EVENTS, KafkaBroker.BOOTSTRAP, topic);
    JobOutputs outputs = new JobOutputs(folder.newFolder("out").toPath());
    List<String> stackTraces;
    try (CapturedLog log = CapturedLog.open()) {
      PipelineResult job = KafkaJobRun.start(spec, outputs.lake().getParent());
      try {
        KafkaJobRun.await(Duration.standardSeconds(60), () -> outputs.lakeSources().size() >= EVENTS);
        stackTraces = log.stackTraces(); // before the cancel, which interrupts writers mid-file
      } finally {
        job.cancel();
      }
    }
    assertThat(stackTraces, empty());
    assertThat(outputs.lakeSources().size(), greaterThanOrEqualTo(EVENTS));
  }
}
