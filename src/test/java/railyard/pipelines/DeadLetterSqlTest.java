package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Given the spec, {@code railyard sql} also reads the pipeline's dead letters in the lake: every
 * rejected record, once however often it was replayed.
 */
@RunWith(JUnit4.class)
public class DeadLetterSqlTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** The first row of {@code query} over {@code out}'s outputs, as CSV fields. */
  private static String[] sql(String spec, File out, String query) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SqlCommand.run(
            new String[] {
              "--spec=" + spec,
              "--lake=" + new File(out, "lake"),
              "--warehouse=" + new File(out, "warehouse"),
              "--format=csv",
              query
            },
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    return printed.toString(StandardCharsets.UTF_8).split("\r\n")[1].split(",");
  }

  static long deadLetters(String spec, File out) {
    return Long.parseLong(sql(spec, out, "SELECT count(*) FROM dead_letters")[0]);
  }

  @Test
  public void deadLettersAreAViewWithEveryRejectedRecord() throws Exception {
    File out = folder.newFolder("out");
    RunSummary run = JobRun.run(CatalogJobTest.SPEC, out, "--mode=batch");

    String[] row =
        sql(
            CatalogJobTest.SPEC,
            out,
            "SELECT count(*) AS n, count(DISTINCT stage || '/' || reason) AS reasons FROM dead_letters");

    assertThat(run.deadLetterTotal(), greaterThan(0L));
    long files = OutputFiles.jsonLines(out.toPath().resolve("lake/deadletter"));
    assertThat(Long.parseLong(row[0]), is(run.deadLetterTotal()));
    assertThat(Long.parseLong(row[0]), is(files));
    assertThat(Long.parseLong(row[1]), greaterThan(1L));
  }

  @Test
  public void aLakeFollowAndABackfillOfTheSameRangeLeaveEachDeadLetterOnce() throws Exception {
    File out = folder.newFolder("out");
    String spec = "src/test/resources/specs/e2e.yaml";
    RunSummary stream = JobRun.run(spec, out, "--mode=streaming");
    String from = "--from=2026-03-01T00:00:00Z";
    JobRun.run(spec, out, "--mode=streaming", "--source=lake", from, "--stopWhenIdleFor=5s",
        "--serving=" + new File(out, "followed.db"));
    JobRun.run(spec, out, "--mode=batch", "--source=lake", from, "--to=2026-03-02T00:00:00Z");

    assertThat(stream.deadLetterTotal(), greaterThan(0L));
    // The files hold each run's copies; the table each rejected record once.
    assertThat(
        OutputFiles.jsonLines(out.toPath().resolve("lake/deadletter")),
        greaterThan(stream.deadLetterTotal()));
    assertThat(deadLetters(spec, out), is(stream.deadLetterTotal()));
  }

  @Test
  public void identicalRejectedRecordsOfOneRunAreEachKept() throws Exception {
    File out = folder.newFolder("out");
    File events = folder.newFile("orders.jsonl");
    java.nio.file.Files.writeString(events.toPath(), "not json\nnot json\n{\"id\":\"a\"}\n");
    File spec = FileImportSpecs.orders(folder, events);
    RunSummary first = JobRun.run(spec.getPath(), out, "--mode=batch", "--runner=DirectRunner");
    JobRun.run(spec.getPath(), out, "--mode=batch", "--runner=DirectRunner");

    assertThat(first.deadLetterTotal(), is(3L));
    assertThat(deadLetters(spec.getPath(), out), is(3L));
  }
}
