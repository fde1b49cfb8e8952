package railyard.io.mqtt;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import railyard.model.RawEvent;

/**
 * A streaming job for tests to start in a JVM of its own (so that it can be killed as a machine
 * dies): {@link ReadMqttEvents} on the Direct runner, and downstream of it a step that appends each
 * event's payload, one line each, to a file: what the rest of a job would have been given.
 *
 * <p>Arguments: broker URI, topic filter, client id, lake root, pipeline name, downstream file.
 */
public final class MqttLandingJob {
  private MqttLandingJob() {}

  public static void main(String[] args) {
    PipelineOptions options = PipelineOptionsFactory.create();
    if (Boolean.getBoolean("railyard.direct")) {
      options.setRunner(DirectRunner.class);
    } else {
      // Flink, as a job runs: the Direct runner's own scheduling keeps a core busy while a source
      // is idle, which a burst's receiving thread then lacks.
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      flink.setRunner(FlinkRunner.class);
      flink.setStreaming(true);
      flink.setParallelism(1);
      flink.setCheckpointingInterval(1_000L);
    }
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(
            ReadMqttEvents.create()
                .withServerUri(args[0])
                .withTopics(List.of(args[1]))
                .withClientId(args[2])
                .withLake(args[3], args[4]))
        .apply("PassedOn", ParDo.of(new AppendPayloadFn(args[5])));
    pipeline.run().waitUntilFinish();
  }

  private static final class AppendPayloadFn extends DoFn<RawEvent, Void> {
    private final String file;
    private transient FileOutputStream out;

    AppendPayloadFn(String file) {
      this.file = file;
    }

    @Setup
    public void open() throws IOException {
      out = new FileOutputStream(file, true);
    }

    @ProcessElement
    public void process(@Element RawEvent event) throws IOException {
      byte[] payload = event.payload();
      byte[] line = new byte[payload.length + 1];
      System.arraycopy(payload, 0, line, 0, payload.length);
      line[payload.length] = '\n';
      out.write(line); // one write, appended whole
    }

    @Teardown
    public void close() throws IOException {
      out.close();
    }
  }
}
