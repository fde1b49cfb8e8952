package railyard.io.mqtt;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a reader had passed its landed batches on when the runner took a checkpoint: every batch
 * numbered below {@code seq}, and the first {@code emitted} events of batch {@code seq}. The
 * messages themselves were acknowledged when they landed, long before; a reader restored from this
 * mark passes on again, from the lake, what it had landed after it. Finalizing the mark records it
 * in the client's state file, where a job started afresh (not restored) resumes passing on.
 *
 * @param sinceMillis no batch from {@code seq} on was received before this (where to list from)
 */
record MqttCheckpoint(
    String rawDirectory, String clientId, List<String> topics, long seq, int emitted, long sinceMillis)
    implements UnboundedSource.CheckpointMark, Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttCheckpoint.class);

  @Override
  public void finalizeCheckpoint() throws IOException {
    new MqttLakeFiles(rawDirectory, clientId)
        .writeState(new MqttLakeFiles.State(seq, emitted, sinceMillis, topics));
    LOG.debug("MQTT client {}: checkpoint finalized at batch {} (+{} events)", clientId, seq, emitted);
  }
}
