package railyard.pipelines;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import javax.annotation.Nullable;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptions;
import railyard.io.metrics.BeamMetricsExport;
import railyard.io.metrics.MetricsServer;
import railyard.io.metrics.PrometheusMetrics;
import railyard.runners.FlinkLiveMetrics;

/**
 * {@code --metricsPort}: the running job's Beam metrics, served for Prometheus, read at each
 * scrape. A result is only at hand while the job runs if {@code run()} returns at once, so the
 * runners that block in {@code run()} are told not to: the Direct runner's {@code blockOnRun} and
 * Flink's {@code attachedMode} are turned off, and the launcher waits for the end itself as it does
 * for Spark. A running Flink job's {@code PipelineResult} holds no metrics (Beam's operators hand
 * them over as they close), so an in-process Flink job's are read from Flink's own metric system
 * instead ({@link FlinkLiveMetrics}).
 */
final class JobMetricsEndpoint implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  private final @Nullable MetricsServer server;

  private JobMetricsEndpoint(@Nullable MetricsServer server) {
    this.server = server;
  }

  /** Fails with a message naming the fix if {@code --metricsPort} cannot apply to this run. */
  static void check(PipelineOptions options) {
    Integer port = options.as(JobMetricsOptions.class).getMetricsPort();
    if (port == null) {
      return;
    }
    checkArgument(
        port >= 0 && port <= 65_535, "--metricsPort must be 0 to 65535, not %s", port);
    checkArgument(
        options.getRunner() != DataflowRunner.class,
        "--metricsPort serves an in-process run; a Dataflow job's metrics are in Cloud Monitoring");
  }

  /** Checks the option, and lets {@code run()} return while the job runs if it is set. */
  static void prepare(PipelineOptions options) {
    check(options);
    if (options.as(JobMetricsOptions.class).getMetricsPort() == null) {
      return;
    }
    if (options.getRunner() == FlinkRunner.class) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      flink.setAttachedMode(false);
      flink.setJobCheckIntervalInSecs(1);
      if (FlinkLiveMetrics.appliesTo(options)) {
        FlinkLiveMetrics.attach(flink);
      }
    }
    options.as(DirectOptions.class).setBlockOnRun(false);
  }

  /** Serves {@code result}'s metrics if {@code --metricsPort} is set; closing stops serving. */
  static JobMetricsEndpoint serve(PipelineResult result, PipelineOptions options) {
    Integer port = options.as(JobMetricsOptions.class).getMetricsPort();
    if (port == null) {
      return new JobMetricsEndpoint(null);
    }
    PrometheusMetrics metrics = new PrometheusMetrics();
    if (FlinkLiveMetrics.appliesTo(options)) {
      MetricResults live = FlinkLiveMetrics.of(options.as(FlinkPipelineOptions.class));
      BeamMetricsExport.register(metrics, () -> live);
    } else {
      BeamMetricsExport.register(metrics, result::metrics);
    }
    try {
      MetricsServer server = MetricsServer.start(HOST, port, metrics);
      System.err.println("railyard: job metrics at " + server.uri());
      return new JobMetricsEndpoint(server);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot serve job metrics on port " + port, e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
