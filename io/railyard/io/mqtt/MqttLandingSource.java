package railyard.io.mqtt;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import railyard.model.RawEvent;

/**
 * The unbounded source behind {@link ReadMqttEvents}: one reader, one MQTT client with a persistent
 * session, landing what it receives in the raw lake before acknowledging it (see {@link
 * MqttLandingReader}). It is never split: a second client with the same id would displace the
 * first at the broker.
 */
final class MqttLandingSource extends UnboundedSource<RawEvent, MqttCheckpoint> {
  private static final long serialVersionUID = 1L;

  private final MqttConnection connection;
  private final String rawDirectory;

  MqttLandingSource(MqttConnection connection, String rawDirectory) {
    this.connection = connection;
    this.rawDirectory = rawDirectory;
  }

  MqttConnection connection() {
    return connection;
  }

  String rawDirectory() {
    return rawDirectory;
  }

  @Override
  public List<MqttLandingSource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<RawEvent> createReader(
      PipelineOptions options, @Nullable MqttCheckpoint checkpoint) throws IOException {
    return new MqttLandingReader(this, checkpoint);
  }

  @Override
  public Coder<MqttCheckpoint> getCheckpointMarkCoder() {
    return SerializableCoder.of(MqttCheckpoint.class);
  }

  @Override
  public Coder<RawEvent> getOutputCoder() {
    return RawEvent.RawEventCoder.of();
  }
}
