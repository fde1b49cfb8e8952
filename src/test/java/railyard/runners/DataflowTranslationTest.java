package railyard.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.dataflow.model.DataflowPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineDebugOptions;
import org.apache.beam.runners.dataflow.util.PackageUtil.StagedFile;
import org.apache.beam.runners.dataflow.util.Stager;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.pipelines.Railyard;
import railyard.pipelines.RailyardJob;
import railyard.pipelines.RailyardOnDataflow;
import railyard.pipelines.RailyardOptions;
import railyard.spec.PipelineSpec;

/**
 * The Dataflow runner turns both jobs into a Dataflow job graph, offline: the job is written as a
 * classic template to a local file ({@code --templateLocation}) instead of being submitted, the
 * staging of jars and of the pipeline proto goes to an in-memory {@link Stager}, credentials are
 * {@code NoopCredentialFactory}'s and {@code gs://} paths are not checked. The arguments name no
 * runner and go through {@link RailyardOnDataflow}, as a Flex Template launch does. Nothing leaves the
 * machine ({@link LoopbackOnly}).
 */
@RunWith(JUnit4.class)
public class DataflowTranslationTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final LoopbackOnly loopbackOnly = new LoopbackOnly();

  /** Keeps what the runner would upload to the staging location. */
  public static final class InMemoryStager implements Stager {
    final List<String> staged = new ArrayList<>();
    byte[] pipelineProto;

    @Override
    public List<DataflowPackage> stageFiles(List<StagedFile> files) {
      List<DataflowPackage> packages = new ArrayList<>();
      for (StagedFile file : files) {
        staged.add(file.getDestination());
        packages.add(
            new DataflowPackage()
                .setName(file.getDestination())
                .setLocation("gs://railyard-offline/staging/" + file.getDestination()));
      }
      return packages;
    }

    @Override
    public DataflowPackage stageToFile(byte[] bytes, String name) {
      staged.add(name);
      pipelineProto = bytes;
      return new DataflowPackage().setName(name).setLocation("gs://railyard-offline/staging/" + name);
    }
  }

  private record Translated(JsonNode job, RunnerApi.Pipeline proto, PipelineResult result) {}

  private Translated translate(String... jobArgs) throws IOException {
    Path template = folder.getRoot().toPath().resolve("job.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--project=railyard-offline",
                "--region=europe-west1",
                "--gcpTempLocation=gs://railyard-offline/tmp",
                "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
                "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
                "--templateLocation=" + template,
                "--filesToStage=" + Files.createFile(folder.getRoot().toPath().resolve("railyard.jar")),
                "--spec=examples/clickstream.yaml",
                "--lake=gs://railyard-offline/lake",
                "--warehouse=gs://railyard-offline/warehouse"));
    args.addAll(List.of(jobArgs));
    // As the Flex Template launcher starts the job: the template's parameters, no runner.
    String[] argv = RailyardOnDataflow.withDataflowRunner(args.toArray(new String[0]));
    PipelineOptionsFactory.register(RailyardOptions.class);
    RailyardOptions options = PipelineOptionsFactory.fromArgs(argv).withValidation().as(RailyardOptions.class);
    InMemoryStager stager = new InMemoryStager();
    options.as(DataflowPipelineDebugOptions.class).setStager(stager);
    PipelineSpec spec = Railyard.loadSpec(options);
    Runners.configure(options, argv, RailyardOptions.Mode.of(options.getMode()) == RailyardOptions.Mode.STREAMING);
    assertThat(options.getRunner(), equalTo(DataflowRunner.class));

    Pipeline pipeline = Pipeline.create(options);
    RailyardJob.of(spec, options).expandInto(pipeline);
    PipelineResult result = pipeline.run();

    assertThat("the job graph was written", Files.exists(template), is(true));
    return new Translated(
        new ObjectMapper().readTree(Files.readString(template)),
        RunnerApi.Pipeline.parseFrom(stager.pipelineProto),
        result);
  }

  private static Set<String> transformNames(RunnerApi.Pipeline proto) {
    Set<String> names = new TreeSet<>();
    proto.getComponents().getTransformsMap().values().forEach(t -> names.add(t.getUniqueName()));
    return names;
  }

  @Test
  public void streamingJobTranslatesToAStreamingDataflowJob() throws IOException {
    Translated translated = translate("--mode=streaming");

    assertThat(translated.job().path("type").asText(), equalTo("JOB_TYPE_STREAMING"));
    assertThat(translated.job().path("steps").size(), greaterThan(0));
    assertThat(
        transformNames(translated.proto()),
        hasItems("Generate", "KeepRaw", "Prepare", "KeepDeadLetters", "Warehouse", "Views", "Serve"));
  }

  @Test
  public void batchBackfillTranslatesToABatchDataflowJob() throws IOException {
    Translated translated =
        translate(
            "--mode=batch",
            "--source=lake",
            "--from=2026-01-01T00:00:00Z",
            "--to=2026-01-02T00:00:00Z");

    assertThat(translated.job().path("type").asText(), equalTo("JOB_TYPE_BATCH"));
    assertThat(translated.job().path("steps").size(), greaterThan(0));
    Set<String> names = transformNames(translated.proto());
    assertThat(names, hasItems("ReadLake", "Prepare", "KeepDeadLetters", "Warehouse", "Views", "Serve"));
    assertThat("a backfill does not rewrite the lake it reads", names, not(hasItem("KeepRaw")));
  }
}
