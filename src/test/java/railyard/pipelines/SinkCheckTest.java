package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyArray;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.serving.PostgresDatabase;

/**
 * A sink the job cannot write fails the launch in one line, exit 2, before the first event is read:
 * nothing is written that a corrected rerun would write again.
 */
@RunWith(JUnit4.class)
public class SinkCheckTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int launch(File out, String serving, String lake) throws Exception {
    File events = folder.newFile("orders.jsonl");
    Files.writeString(events.toPath(), "{\"id\":\"a\"}\nnot json\n");
    File spec = FileImportSpecs.orders(folder, events);
    return Railyard.launch(
        new String[] {
          "--spec=" + spec,
          "--mode=batch",
          "--runner=DirectRunner",
          "--lake=" + lake,
          "--warehouse=" + new File(out, "warehouse"),
          "--serving=" + serving
        },
        new PrintStream(printed, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void aServingStoreThatRefusesTheCredentialsFailsInOneLineBeforeAnyOutput()
      throws Exception {
    File out = folder.newFolder("out");
    String wrongUser =
        database.location().replaceFirst("user=[^&]*", "user=no_such_role&password=wrong");

    int code = launch(out, wrongUser, new File(out, "lake").getPath());

    assertThat(code, is(2));
    assertThat(errors().strip().lines().count(), is(1L));
    assertThat(
        errors(),
        allOf(
            containsString("serving store"),
            containsString("no_such_role"),
            not(containsString("wrong"))));
    assertThat(out.list(), emptyArray());
    assertThat(printed.size(), is(0));
  }

  @Test
  public void aLakeThatIsNotAFolderFailsInOneLineBeforeAnyOutput() throws Exception {
    File out = folder.newFolder("out");
    File lake = folder.newFile("lake");

    int code = launch(out, new File(out, "serving.db").getPath(), lake.getPath());

    assertThat(code, is(2));
    assertThat(errors().strip().lines().count(), is(1L));
    assertThat(errors(), allOf(containsString("raw lake"), containsString("is not a folder")));
    assertThat(out.list(), emptyArray());
  }
}
