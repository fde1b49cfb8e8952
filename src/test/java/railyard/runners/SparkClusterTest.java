package railyard.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.pipelines.Railyard;
import railyard.pipelines.RailyardOptions;
import railyard.pipelines.RunSummary;
import railyard.spec.PipelineSpec;
import railyard.transforms.RailyardMetrics;

/**
 * The job on a Spark standalone cluster, {@code --sparkMaster=spark://127.0.0.1:<port>}: a Master
 * and a Worker run as processes of their own from the test's classpath (a SPARK_HOME whose jars/
 * links those jars, which is where the Worker finds the classpath for its executors), all on
 * loopback. The job's tasks run in the Worker's executor, not in the test.
 */
@RunWith(JUnit4.class)
public class SparkClusterTest {
  private static final long EVENTS = 2_000;
  private static final long START_TIMEOUT_MS = 90_000;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final LoopbackOnly loopbackOnly = new LoopbackOnly();

  private final List<Process> processes = new ArrayList<>();
  private Path sparkHome;
  private int masterPort;

  @Before
  public void startCluster() throws Exception {
    sparkHome = folder.newFolder("spark-home").toPath();
    linkClasspathJars(sparkHome.resolve("jars"));
    masterPort = freePort();
    Path masterLog = sparkHome.resolve("master.log");
    start(
        masterLog,
        "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1",
        "--port", String.valueOf(masterPort),
        "--webui-port", String.valueOf(freePort()));
    awaitLine(masterLog, "I have been elected leader");
    Path workerLog = sparkHome.resolve("worker.log");
    start(
        workerLog,
        "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1",
        "--webui-port", String.valueOf(freePort()),
        "--cores", "2",
        "--memory", "2g",
        "--work-dir", folder.newFolder("spark-work").toString(),
        "spark://127.0.0.1:" + masterPort);
    awaitLine(workerLog, "Successfully registered with master");
  }

  @After
  public void stopCluster() {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }
  }

  @Test
  public void batchJobRunsOnTheStandaloneClusterNamedBySparkMaster() throws Exception {
    Path root = folder.getRoot().toPath();
    String[] args = {
      "--runner=SparkRunner",
      "--sparkMaster=spark://127.0.0.1:" + masterPort,
      "--spec=examples/clickstream.yaml",
      "--mode=batch",
      "--events=" + EVENTS,
      "--lake=" + root.resolve("lake"),
      "--warehouse=" + root.resolve("warehouse"),
      "--serving=" + root.resolve("serving.db")
    };
    PipelineOptionsFactory.register(RailyardOptions.class);
    RailyardOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(RailyardOptions.class);
    // The executors have the dependencies (SPARK_HOME/jars); the application's classes are shipped.
    options.as(SparkPipelineOptions.class).setFilesToStage(List.of("target/classes"));
    PipelineSpec spec = Railyard.loadSpec(options);

    RunSummary summary = Railyard.run(spec, options, args);

    assertThat(summary.counter(RailyardMetrics.RECEIVED), equalTo(EVENTS));
    assertThat(parquetFiles(root.resolve("warehouse")), greaterThan(0L));
    assertThat(
        "an executor of the Worker ran the tasks",
        executorLogs(sparkHome.getParent().resolve("spark-work")),
        greaterThan(0L));
  }

  private void start(Path log, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // The same --add-opens the test JVM runs with: Spark reflects into the JDK.
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens")) {
        command.add(argument);
      }
    }
    command.add("-cp");
    command.add(sparkHome.resolve("jars") + File.separator + "*");
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
    processes.add(builder.start());
  }

  /** The test's classpath as SPARK_HOME/jars: one link per jar, first of a name wins. */
  private static void linkClasspathJars(Path jars) throws IOException {
    Files.createDirectories(jars);
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Set<String> names = new HashSet<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      String name = jar.getFileName().toString();
      if (name.endsWith(".jar") && Files.isRegularFile(jar) && names.add(name)) {
        Files.createSymbolicLink(jars.resolve(name), jar.toAbsolutePath());
      }
    }
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "no '" + line + "' in " + log + " within " + START_TIMEOUT_MS + " ms:\n" + (Files.exists(log) ? Files.readString(log) : ""));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static long parquetFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    }
  }

  private static long executorLogs(Path workDir) throws IOException {
    try (Stream<Path> files = Files.walk(workDir)) {
      return files.filter(f -> f.getFileName().toString().equals("stderr")).count();
    }
  }
}
