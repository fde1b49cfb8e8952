package railyard.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
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
 * The job on a Flink cluster, {@code --flinkMaster=127.0.0.1:<port>}: a Flink MiniCluster with
 * its REST endpoint on loopback takes the job graph as any session cluster would, and runs it.
 */
@RunWith(JUnit4.class)
public class FlinkClusterTest {
  private static final long EVENTS = 2_000;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final LoopbackOnly loopbackOnly = new LoopbackOnly();

  private MiniCluster cluster;
  private int restPort;

  @Before
  public void startCluster() throws Exception {
    Configuration config = new Configuration();
    config.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    config.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    config.set(TaskManagerOptions.HOST, "127.0.0.1");
    config.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_PORT, "0");
    // The cluster shares the test's classpath; the job's own jar then adds nothing new.
    config.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
    cluster.start();
    restPort = cluster.getRestAddress().get().getPort();
  }

  @After
  public void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  public void batchJobRunsOnTheClusterNamedByFlinkMaster() throws Exception {
    Path root = folder.getRoot().toPath();
    String[] args = {
      "--runner=FlinkRunner",
      "--flinkMaster=127.0.0.1:" + restPort,
      "--parallelism=2",
      "--spec=examples/clickstream.yaml",
      "--mode=batch",
      "--events=" + EVENTS,
      "--lake=" + root.resolve("lake"),
      "--warehouse=" + root.resolve("warehouse"),
      "--serving=" + root.resolve("serving.db")
    };
    PipelineOptionsFactory.register(RailyardOptions.class);
    RailyardOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(RailyardOptions.class);
    // Only the application's own classes are shipped: the cluster has the dependencies.
    options.as(FlinkPipelineOptions.class).setFilesToStage(List.of("target/classes"));
    PipelineSpec spec = Railyard.loadSpec(options);

    RunSummary summary = Railyard.run(spec, options, args);

    Collection<JobStatusMessage> jobs = cluster.listJobs().get();
    assertThat(jobs, hasSize(1));
    assertThat(jobs.iterator().next().getJobState(), equalTo(JobStatus.FINISHED));
    assertThat(summary.counter(RailyardMetrics.RECEIVED), equalTo(EVENTS));
    assertThat(parquetFiles(root.resolve("warehouse")), greaterThan(0L));
  }

  private static long parquetFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    }
  }
}
