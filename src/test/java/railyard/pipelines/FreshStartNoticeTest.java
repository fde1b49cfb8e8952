package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.runners.ResumeOptions;
import railyard.runners.Runners;

/**
 * A streaming job on Flink started without {@code --resumeFrom} while its checkpoint folder keeps a
 * retained checkpoint says so in one line before it runs: which checkpoint, what a fresh start
 * leaves behind, and the flag that resumes instead.
 */
@RunWith(JUnit4.class)
public class FreshStartNoticeTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** A completed checkpoint as Flink retains it: {@code <job id>/chk-N/_metadata}. */
  private static Path retainedCheckpoint(Path storage, String job, int n) throws Exception {
    Path chk = Files.createDirectories(storage.resolve(job).resolve("chk-" + n));
    Files.writeString(chk.resolve("_metadata"), "metadata");
    return chk;
  }

  private int launch(Path storage, File out, String... more) {
    String[] args = {
      "--spec=src/test/resources/specs/e2e.yaml",
      "--mode=streaming",
      "--events=100",
      "--runner=FlinkRunner",
      "--stateBackendStoragePath=" + storage.toUri(),
      "--lake=" + new File(out, "lake"),
      "--warehouse=" + new File(out, "warehouse"),
      "--serving=" + new File(out, "serving.db"),
    };
    String[] all = java.util.stream.Stream.concat(
            java.util.Arrays.stream(args), java.util.Arrays.stream(more))
        .toArray(String[]::new);
    return Railyard.launch(
        all,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> noticeLines() {
    return err.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(line -> line.startsWith("railyard: starting afresh"))
        .toList();
  }

  @Test
  public void aFreshStartBesideARetainedCheckpointNamesTheNewestAndTheFlag() throws Exception {
    Path storage = folder.newFolder("checkpoints").toPath();
    retainedCheckpoint(storage, "0a1b", 4);
    Path newest = retainedCheckpoint(storage, "9f8e", 17);

    assertThat(launch(storage, folder.newFolder("out")), equalTo(0));

    assertThat(noticeLines(), hasSize(1));
    String notice = noticeLines().get(0);
    assertThat(notice, containsString(newest.toString() + " holds a retained checkpoint"));
    assertThat(notice, containsString("warehouse rows, view panes and dead letters"));
    assertThat(notice, containsString("--resumeFrom=" + storage));
  }

  @Test
  public void aFolderWithoutACompletedCheckpointOrAResumedRunGetsNoNotice() throws Exception {
    Path storage = folder.newFolder("checkpoints").toPath();
    Files.createDirectories(storage.resolve("0a1b").resolve("chk-2")); // never completed
    String[] fresh = {"--runner=FlinkRunner", "--stateBackendStoragePath=" + storage.toUri()};

    assertThat(notice(fresh), equalTo(Optional.empty()));

    retainedCheckpoint(storage, "0a1b", 1);
    String[] resumed = {
      "--runner=FlinkRunner", "--stateBackendStoragePath=" + storage.toUri(), "--resumeFrom=" + storage
    };
    assertThat(notice(resumed), equalTo(Optional.empty()));
    assertThat(notice(fresh).isPresent(), equalTo(true));
  }

  private static Optional<String> notice(String... args) {
    return Runners.freshStartNotice(
        PipelineOptionsFactory.fromArgs(args).as(ResumeOptions.class), args, true);
  }
}
