package railyard.io.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.io.File;
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
import java.util.stream.Stream;
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
import railyard.model.RawEvent;

/**
 * Against Mosquitto with its stock limits (20 messages in flight, 1,000 queued per client), a job
 * reading MQTT keeps every message the broker hands it, once: it lands each in the raw lake and
 * acknowledges it then, not at a checkpoint. The job runs in a JVM of its own ({@link
 * MqttLandingJob}) so that it can be killed mid-burst as a crashed machine would be; what its
 * downstream step was given is appended to a file, which both runs share.
 */
@RunWith(JUnit4.class)
public class MqttAckAfterLakeTest {
  private static final int MESSAGES = 20_000;
  private static final long WAIT_MILLIS = 150_000;
  private static final String PIPELINE = "orders";
  private static final String CLIENT_ID = "railyard-burst";

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

  @Test(timeout = 300_000)
  public void twentyThousandMessagesSentAsFastAsMosquittoPubSendsThemAreAllInTheLakeOnce()
      throws Exception {
    startJob("run-1");
    try (MosquittoPubLines publisher = publisher()) {
      publisher.send(0, MESSAGES);
      publisher.finish(120);
    }

    Map<String, Long> landed = awaitLanded(MESSAGES);
    Map<String, Long> given = awaitPassedOn(MESSAGES);

    assertThat(landed, equalTo(eachOnce(0, MESSAGES)));
    assertThat(given, equalTo(eachOnce(0, MESSAGES)));
    assertThat(broker.log(), not(containsString("dropped")));
  }

  @Test(timeout = 300_000)
  public void aJobKilledMidBurstAndStartedAgainLosesAndDoublesNothing() throws Exception {
    Process first = startJob("run-1");
    try (MosquittoPubLines publisher = publisher()) {
      // Small enough that what the broker holds while no job is connected stays within its
      // stock queue of 1,000 (the broker would drop the rest, before handing it over).
      publisher.send(0, 3_000);
      awaitLanded(2_000);
      first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      startJob("run-2");
      publisher.send(3_000, MESSAGES);
      publisher.finish(120);
    }

    Map<String, Long> landed = awaitLanded(MESSAGES);
    Map<String, Long> given = awaitPassedOn(MESSAGES);

    assertThat(landed, equalTo(eachOnce(0, MESSAGES)));
    assertThat(given.keySet(), equalTo(eachOnce(0, MESSAGES).keySet()));
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
    long deadline = System.currentTimeMillis() + 60_000;
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
      Thread.sleep(200);
      seen = payloads.apply(null);
    }
    Thread.sleep(1_000); // anything landed or passed on twice would show now
    return payloads.apply(null).stream()
        .collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));
  }

  private List<String> landedPayloads(Void unused) {
    List<String> payloads = new ArrayList<>();
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path file : files.filter(MqttAckAfterLakeTest::isLakeFile).toList()) {
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

  private static boolean isLakeFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".avro") && !name.startsWith(".") && file.toString().contains(File.separator + "dt=");
  }

  private static Map<String, Long> eachOnce(int from, int to) {
    Map<String, Long> expected = new TreeMap<>();
    for (int n = from; n < to; n++) {
      expected.put(MosquittoPubLines.line(n), 1L);
    }
    return expected;
  }
}
