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

/** Given the spec, {@code railyard sql} also reads the pipeline's dead letters in the lake. */
@RunWith(JUnit4.class)
public class DeadLetterSqlTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void deadLettersAreAViewWithEveryRejectedRecord() throws Exception {
    File out = folder.newFolder("out");
    RunSummary run = JobRun.run(CatalogJobTest.SPEC, out, "--mode=batch");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        SqlCommand.run(
            new String[] {
              "--spec=" + CatalogJobTest.SPEC,
              "--lake=" + new File(out, "lake"),
              "--warehouse=" + new File(out, "warehouse"),
              "--format=csv",
              "SELECT count(*) AS n, count(DISTINCT stage || '/' || reason) AS reasons FROM dead_letters"
            },
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    assertThat(run.deadLetterTotal(), greaterThan(0L));
    long files = OutputFiles.jsonLines(out.toPath().resolve("lake/deadletter"));
    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\r\n");
    assertThat(lines[0], is("n,reasons"));
    assertThat(Long.parseLong(lines[1].split(",")[0]), is(run.deadLetterTotal()));
    assertThat(Long.parseLong(lines[1].split(",")[0]), is(files));
    assertThat(Long.parseLong(lines[1].split(",")[1]), greaterThan(1L));
  }
}
