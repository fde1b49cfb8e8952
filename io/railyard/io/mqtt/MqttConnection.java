package railyard.io.mqtt;

import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where and as whom the MQTT client connects, and what it subscribes to. */
record MqttConnection(
    String serverUri,
    List<String> topics,
    String clientId,
    @Nullable String username,
    @Nullable String password)
    implements Serializable {

  /** Never prints the password. */
  @Override
  public String toString() {
    return "MqttConnection[" + serverUri + ", topics=" + topics + ", clientId=" + clientId
        + ", username=" + username + "]";
  }
}
