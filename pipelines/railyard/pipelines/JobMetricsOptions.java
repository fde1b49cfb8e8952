package railyard.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where an in-process run serves its metrics. Not a Flex Template parameter: on Dataflow the job's
 * metrics are in Cloud Monitoring.
 */
public interface JobMetricsOptions extends PipelineOptions {
  @Description(
      "Serve the running job's Beam metrics for Prometheus at http://127.0.0.1:<port>/metrics"
          + " while it runs (in-process runners: Direct, Flink, Spark; 0 picks a free port).")
  Integer getMetricsPort();

  void setMetricsPort(Integer port);
}
