package railyard.spec;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * An MQTT source: {@code source: {type: mqtt, mqtt: {server, topics, clientId}}}.
 *
 * @param server the broker's URI, e.g. {@code tcp://127.0.0.1:1883}
 * @param topics topic filters, wildcards {@code +} and {@code #} allowed
 * @param clientId the prefix of the client id (MqttIO appends a random suffix)
 */
public record MqttSourceSpec(String server, List<String> topics, String clientId)
    implements Serializable {

  /** MqttIO appends "-" and a random suffix to the client id and cuts it at MQTT 3.1's 23. */
  private static final int CLIENT_ID_PREFIX = 14;

  public MqttSourceSpec {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(clientId, "clientId");
    topics = List.copyOf(topics);
  }

  /** Reads a spec's {@code source.mqtt} block. */
  static MqttSourceSpec read(SpecNode node) {
    node.mapping(List.of("server", "topics", "clientId"));
    String server = node.require("server").location();
    if (!server.matches("(tcp|ssl|tls)://[^/]+")) {
      throw node.get("server")
          .fail("'" + server + "' is not a broker URI such as tcp://127.0.0.1:1883");
    }
    List<String> topics =
        node.require("topics").items().stream().map(SpecNode::location).toList();
    if (topics.isEmpty()) {
      throw node.get("topics").fail("needs at least one topic filter, e.g. [\"railyard/#\"]");
    }
    String clientId = node.get("clientId").or(SpecNode::location, "railyard");
    if (clientId.length() > CLIENT_ID_PREFIX) {
      throw node.get("clientId")
          .fail(
              "'" + clientId + "' is longer than " + CLIENT_ID_PREFIX
                  + " characters (MqttIO adds a random suffix within MQTT 3.1's 23)");
    }
    return new MqttSourceSpec(server, topics, clientId);
  }
}
