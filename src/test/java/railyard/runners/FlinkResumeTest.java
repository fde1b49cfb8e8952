package railyard.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** {@code --resumeFrom} finds the checkpoint a stopped job left and hands it to Flink. */
@RunWith(JUnit4.class)
public class FlinkResumeTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** A checkpoint folder as Flink leaves it: {@code <job id>/chk-N}, complete with {@code _metadata}. */
  private Path checkpoint(Path storage, String job, int n, boolean complete) throws Exception {
    Path chk = Files.createDirectories(storage.resolve(job).resolve("chk-" + n));
    if (complete) {
      Files.writeString(chk.resolve(FlinkResume.METADATA), "metadata");
    }
    return chk;
  }

  private static String[] args(String... args) {
    return args;
  }

  private static FlinkPipelineOptions configured(String... args) {
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(args).as(ResumeOptions.class).as(FlinkPipelineOptions.class);
    Runners.configure(options, args, true);
    return options;
  }

  @Test
  public void takesTheNewestCompletedCheckpointUnderTheFolder() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    checkpoint(storage, "a1", 9, true);
    Path newest = checkpoint(storage, "b2", 12, true);
    checkpoint(storage, "b2", 13, false); // still being written when the job stopped

    assertThat(FlinkResume.newestCheckpoint(storage), equalTo(newest));
  }

  @Test
  public void aCheckpointOrSavepointFolderIsTakenAsItIs() throws Exception {
    Path savepoint = tmp.newFolder("savepoint-1").toPath();
    Files.writeString(savepoint.resolve(FlinkResume.METADATA), "metadata");

    assertThat(FlinkResume.newestCheckpoint(savepoint), equalTo(savepoint));
  }

  @Test
  public void inProcessFlinkIsGivenTheCheckpointThroughItsConfiguration() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    Path chk = checkpoint(storage, "a1", 4, true);

    FlinkPipelineOptions options = configured("--resumeFrom=" + storage);

    String conf = Files.readString(Path.of(options.getFlinkConfDir(), "flink-conf.yaml"));
    assertThat(conf, containsString("execution.savepoint.path: " + chk.toUri()));
  }

  @Test
  public void theGivenFlinkConfigurationIsKept() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    checkpoint(storage, "a1", 4, true);
    Path confDir = tmp.newFolder("conf").toPath();
    Files.writeString(confDir.resolve("flink-conf.yaml"), "taskmanager.numberOfTaskSlots: 3\n");

    FlinkPipelineOptions options =
        configured("--resumeFrom=" + storage, "--flinkConfDir=" + confDir);

    String conf = Files.readString(Path.of(options.getFlinkConfDir(), "flink-conf.yaml"));
    assertThat(conf, containsString("taskmanager.numberOfTaskSlots: 3"));
    assertThat(conf, containsString("execution.savepoint.path: "));
  }

  @Test
  public void aClusterIsGivenTheCheckpointAsItsSavepointPath() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    Path chk = checkpoint(storage, "a1", 4, true);

    FlinkPipelineOptions options =
        configured("--resumeFrom=" + storage.toUri(), "--flinkMaster=127.0.0.1:8081");

    assertThat(options.getSavepointPath(), equalTo(chk.toUri().toString()));
  }

  @Test
  public void checkpointsInAFolderOfOnesOwnAreKeptWhenTheJobIsCancelled() throws Exception {
    FlinkPipelineOptions options =
        configured("--stateBackendStoragePath=" + tmp.getRoot().toURI());

    assertThat(options.getStateBackend(), equalTo("filesystem"));
    assertThat(options.isExternalizedCheckpointsEnabled(), equalTo(true));
    assertThat(options.getRetainExternalizedCheckpointsOnCancellation(), equalTo(true));
    assertThat(options.getFinishBundleBeforeCheckpointing(), equalTo(true));
  }

  @Test
  public void aStreamingRunWhoseSourcesEndPublishesItsLastPendingFiles() {
    assertThat(configured().getEnableStableInputDrain(), equalTo(true));
  }

  @Test
  public void aGivenStableInputDrainIsKept() {
    assertThat(
        configured("--enableStableInputDrain=false").getEnableStableInputDrain(), equalTo(false));
  }

  @Test
  public void aFolderWithoutACompletedCheckpointIsRefusedWithTheReason() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    checkpoint(storage, "a1", 2, false);

    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> configured("--resumeFrom=" + storage));

    assertThat(refused.getMessage(), containsString("no completed checkpoint"));
    assertThat(refused.getMessage(), containsString("--stateBackendStoragePath"));
  }

  @Test
  public void aMissingFolderIsRefused() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> configured("--resumeFrom=" + tmp.getRoot().toPath().resolve("nothing")));

    assertThat(refused.getMessage(), containsString("no such folder"));
  }

  @Test
  public void batchHasNothingToResume() throws Exception {
    Path storage = tmp.newFolder("checkpoints").toPath();
    checkpoint(storage, "a1", 2, true);
    String[] args = args("--resumeFrom=" + storage);
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(args).as(ResumeOptions.class).as(FlinkPipelineOptions.class);

    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> Runners.configure(options, args, false));

    assertThat(refused.getMessage(), containsString("streaming"));
  }
}
