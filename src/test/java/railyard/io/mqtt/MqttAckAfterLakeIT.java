package railyard.io.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.lake.LakeRecords;
import railyard.io.lake.RawLakeFiles;
import railyard.model.RawEvent;

/**
 * Against Mosquitto with its stock configuration (20 messages in flight for a client that asks for
 * no more, 1,000 queued behind them), a job reading MQTT keeps every message of a burst, once: its
 * MQTT 5 client asks for 65,535 in flight, lands each message in the raw lake and acknowledges it
 * then, not at a checkpoint. The job runs in a JVM of its own ({@link
 * MqttLandingJob}) so that it can be killed mid-burst as a crashed machine would be; what its
 * downstream step was given is appended to a file, which both runs share.
 */
@RunWith(JUnit4.class)
public class MqttAckAfterLakeIT {
  private static final int MESSAGES = 20_000;
  private static final int FIRST = 2_000;
  private static final int KILL_AFTER = 1_000;
  private static final long WAIT_MILLIS = 150_000;
  private static final String PIPELINE = "orders";
  private static final String CLIENT_ID = "railyard-burst";
  private static final long DAY_MILLIS = 86_400_000L;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private StockMosquitto broker;
  private Path lake;
  private Path passedOn;
  private final List<Process> jobs = new ArrayList<>();

  @Before
  public void startTheBroker() throws Exception {
    broker = StockMosquitto.start(folder.newFolder("broker").toPath());
    lake = folder.newFolder("lake").toPath();
    passedOn = folder.getRoot().toPath().resolve("passed-on.jsonl");
  }

  @After
  public void stopEverything() throws Exception {
    for (Process job : jobs) {
      job.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    broker.close();
  }

  @Test(timeout = 600_000)
  public void twentyThousandMessagesSentAsFastAsMosquittoPubSendsThemAreAllInTheLakeOnce()
      throws Exception {
    startJob("run-1");
    try (MosquittoPubLines publisher = publisher()) {
      publisher.send(0, MESSAGES);
      publisher.finish(120);
    }

    Map<String, Long> landed = awaitLanded(MESSAGES);
    Map<String, Long> given = awaitPassedOn(MESSAGES);

    assertThat("lost from the lake", missing(landed), empty());
    assertThat("doubled in the lake", doubled(landed), empty());
    assertThat("in the lake", landed.size(), equalTo(MESSAGES));
    assertThat("never passed on", missing(given), empty());
    assertThat("passed on twice", doubled(given), empty());
    assertThat(broker.log(), not(containsString("dropped")));
  }

  @Test(timeout = 600_000)
  public void aJobKilledMidBurstAndStartedAgainLosesAndDoublesNothing() throws Exception {
    Process first = startJob("run-1");
    try (MosquittoPubLines publisher = publisher()) {
      // Killed while these are in flight; few enough that what the broker holds while no job is
      // connected stays within its stock queue of 1,000 (it would drop the rest, unseen).
      publisher.send(0, FIRST);
      awaitLanded(KILL_AFTER);
      first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      startJob("run-2");
      awaitLanded(FIRST);
        publisher.send(FIRST, MESSAGES);
      publisher.finish(120);
    }

    Map<String, Long> landed = awaitLanded(MESSAGES);
    Map<String, Long> given = awaitPassedOn(MESSAGES);

    assertThat("lost from the lake", missing(landed), empty());
    assertThat("doubled in the lake", doubled(landed), empty());
    assertThat("in the lake", landed.size(), equalTo(MESSAGES));
    // Passed on by the killed run and then again from the lake by the next is allowed: the
    // downstream state of a run that was not restored is gone.
    assertThat("never passed on", missing(given), empty());
    assertThat(broker.log(), not(containsString("dropped")));
  }

  private MosquittoPubLines publisher() throws Exception {
    return new MosquittoPubLines(
        broker.port(), "plant/line-1", folder.getRoot().toPath().resolve("mosquitto_pub.log"));
  }

  /** Starts the job in a new JVM and waits until its client is connected and subscribed. */
  private Process startJob(String name) throws Exception {
    Path log = folder.getRoot().toPath().resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens")) {
        command.add(argument);
      }
    }
    // An argument file: the test class path is longer than one command-line argument may be.
    Path classpath = folder.getRoot().toPath().resolve(name + ".classpath");
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Files.writeString(classpath, "-cp \"" + path.replace("\\", "\\\\") + "\"\n");
    command.add("@" + classpath);
    command.add(MqttLandingJob.class.getName());
    command.addAll(
        List.of(broker.uri(), "plant/#", CLIENT_ID, lake.toString(), PIPELINE, passedOn.toString()));
    Process job =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    jobs.add(job);
    long deadline = System.currentTimeMillis() + 180_000; // a loaded machine starts a JVM slowly
    while (!(Files.exists(log) && Files.readString(log).contains("connected to " + broker.uri()))) {
      if (!job.isAlive() || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the job did not connect: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return job;
  }

  /** Payload → how many times the raw lake holds it, once it holds at least {@code count}. */
  private Map<String, Long> awaitLanded(int count) throws Exception {
    return await(count, this::landedPayloads);
  }

  private Map<String, Long> awaitPassedOn(int count) throws Exception {
    return await(
        count,
        unused -> {
          try {
            return Files.exists(passedOn) ? Files.readAllLines(passedOn) : List.of();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private static Map<String, Long> await(int count, Function<Void, List<String>> payloads)
      throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    List<String> seen = payloads.apply(null);
    while (seen.size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(1_000);
      seen = payloads.apply(null);
    }
    Thread.sleep(1_000); // anything landed or passed on twice would show now
    return payloads.apply(null).stream()
        .collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));
  }

  private List<String> landedPayloads(Void unused) {
    List<String> payloads = new ArrayList<>();
    long now = System.currentTimeMillis();
    try {
      for (Path file : RawLakeFiles.overlapping(lake, PIPELINE, now - DAY_MILLIS, now + DAY_MILLIS)) {
        try (DataFileReader<GenericRecord> records =
            new DataFileReader<>(file.toFile(), new GenericDatumReader<>(LakeRecords.SCHEMA))) {
          for (GenericRecord record : records) {
            RawEvent event = LakeRecords.fromAvro(record);
            payloads.add(new String(event.payload(), StandardCharsets.UTF_8));
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return payloads;
  }

  /** The burst's messages not among {@code seen}, the first 10. */
  private static List<String> missing(Map<String, Long> seen) {
    List<String> missing = new ArrayList<>();
    for (int n = 0; n < MESSAGES && missing.size() < 10; n++) {
      if (!seen.containsKey(MosquittoPubLines.line(n))) {
        missing.add(MosquittoPubLines.line(n));
      }
    }
    return missing;
  }

  /** Messages seen more than once, the first 10. */
  private static List<String> doubled(Map<String, Long> seen) {
    return seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(10).toList();
  }
}
