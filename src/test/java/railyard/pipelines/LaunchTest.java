package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** What an operator sees when a launch is wrong: exit code 2 and a message naming the fix. */
@RunWith(JUnit4.class)
public class LaunchTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int launch(String... args) {
    return Railyard.launch(
        args,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void refusesAViewOverAnUndeclaredField() {
    assertThat(launch("--spec=src/test/resources/specs/bad-view-field.yaml"), is(2));
    assertThat(
        errors(),
        allOf(
            containsString("bad spec"),
            containsString("bad-view-field.yaml"),
            containsString("views[0].groupBy"),
            containsString("colour")));
  }

  @Test
  public void refusesASpecThatDoesNotExist() {
    assertThat(launch("--spec=no/such/spec.yaml"), is(2));
    assertThat(errors(), containsString("no/such/spec.yaml"));
  }

  @Test
  public void refusesAnUnknownMode() {
    assertThat(launch("--spec=examples/clickstream.yaml", "--mode=sometimes"), equalTo(2));
    assertThat(errors(), containsString("--mode must be batch or streaming, not 'sometimes'"));
  }

  @Test
  public void refusesMetricsPortOnDataflow() {
    assertThat(
        launch(
            "--spec=examples/clickstream.yaml",
            "--runner=DataflowRunner",
            "--metricsPort=9464"),
        equalTo(2));
    assertThat(errors(), containsString("--metricsPort serves an in-process run"));
  }

  @Test
  public void refusesAStreamOnSparkPointingToFlink() {
    assertThat(
        launch("--spec=examples/clickstream.yaml", "--mode=streaming", "--runner=SparkRunner"),
        equalTo(2));
    assertThat(
        errors(),
        allOf(containsString("Spark's streaming runner has no timers"), containsString("--runner=FlinkRunner")));
    assertThat(errors().strip().lines().count(), equalTo(1L));
  }

  @Test
  public void refusesAMetricsPortOutOfRange() {
    assertThat(launch("--spec=examples/clickstream.yaml", "--metricsPort=70000"), equalTo(2));
    assertThat(errors(), containsString("--metricsPort must be 0 to 65535, not 70000"));
  }

  @Test
  public void refusesALaunchWithoutASpec() {
    assertThat(launch("--mode=batch"), equalTo(2));
    assertThat(errors(), containsString("--spec"));
  }

  @Test
  public void refusesALakeReplayWithoutARange() {
    assertThat(
        launch("--spec=examples/clickstream.yaml", "--mode=batch", "--source=lake"), equalTo(2));
    assertThat(errors(), containsString("give --from and --to"));
  }

  @Test
  public void refusesATimeThatIsNotAnInstant() {
    assertThat(
        launch(
            "--spec=examples/clickstream.yaml",
            "--mode=batch",
            "--source=lake",
            "--from=yesterday",
            "--to=2026-01-02T00:00:00Z"),
        equalTo(2));
    assertThat(errors(), containsString("--from must be an ISO-8601 instant"));
  }

  @Test
  public void refusesALakeThatCannotBeWrittenInOneLine() throws Exception {
    // A path under a regular file: not writable even by root, which ignores permission bits.
    File lake = new File(tmp.newFile("a-file"), "lake");
    assertThat(launchBatch("--lake=" + lake), equalTo(2));
    assertThat(errors(), allOf(startsWith("railyard: "), containsString(lake.toString())));
    assertThat(errors().lines().count(), equalTo(1L));
  }

  @Test
  public void refusesAWarehouseThatCannotBeWrittenInOneLine() throws Exception {
    // A path under a regular file: not writable even by root, which ignores permission bits.
    File warehouse = new File(tmp.newFile("a-file"), "warehouse");
    assertThat(launchBatch("--warehouse=" + warehouse), equalTo(2));
    assertThat(errors(), allOf(startsWith("railyard: "), containsString(warehouse.toString())));
    assertThat(errors().lines().count(), equalTo(1L));
  }

  /** A small batch run of the example on Direct, its outputs in the temporary folder. */
  private int launchBatch(String output) throws Exception {
    java.util.Map<String, String> args = new java.util.LinkedHashMap<>();
    args.put("--lake", new File(tmp.getRoot(), "lake").toString());
    args.put("--warehouse", new File(tmp.getRoot(), "warehouse").toString());
    args.put("--serving", new File(tmp.getRoot(), "serving.db").toString());
    String[] given = output.split("=", 2);
    args.put(given[0], given[1]);
    java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of(
        "--spec=examples/clickstream.yaml", "--runner=DirectRunner", "--mode=batch", "--events=50"));
    args.forEach((name, value) -> line.add(name + "=" + value));
    return launch(line.toArray(String[]::new));
  }
}
