package railyard.runners;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Restarting a stopped streaming job on Flink with its state. A Flink-only option, so it is not one
 * of the Flex Templates' parameters (Dataflow keeps a job's state through its own update and drain).
 */
public interface ResumeOptions extends PipelineOptions {
  @Description(
      "Streaming on Flink: restore the job from the newest completed checkpoint under this folder"
          + " (a stopped run's --stateBackendStoragePath), with its windows, deduplication and Kafka"
          + " offsets; a chk-N folder or savepoint restores that one.")
  String getResumeFrom();

  void setResumeFrom(String folder);
}
