package railyard.spec;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An MQTT source: {@code source: {type: mqtt, mqtt: {server, topics, clientId, username,
 * password}}}.
 *
 * @param server the broker's URI, e.g. {@code tcp://127.0.0.1:1883} or {@code ssl://host:8883}
 * @param topics topic filters, wildcards {@code +} and {@code #} allowed
 * @param clientId the client id the broker keeps the job's persistent session under, or null for
 *     {@code railyard-<pipeline>} (see {@link #clientIdFor})
 * @param username the user to connect as, or null for an anonymous client
 * @param password that user's password, or null
 */
public record MqttSourceSpec(
    String server,
    List<String> topics,
    @Nullable String clientId,
    @Nullable String username,
    @Nullable String password)
    implements Serializable {

  /** MQTT 3.1.1 guarantees client ids of up to 23 characters. */
  private static final int CLIENT_ID_LENGTH = 23;

  public MqttSourceSpec {
    Objects.requireNonNull(server, "server");
    topics = List.copyOf(topics);
    if (password != null && username == null) {
      throw new IllegalArgumentException("an MQTT password needs a username");
    }
  }

  /** An anonymous client. */
  public MqttSourceSpec(String server, List<String> topics, String clientId) {
    this(server, topics, clientId, null, null);
  }

  /**
   * The client id to connect with: the spec's, else {@code railyard-<pipeline>} (characters other
   * than letters, digits, '-' and '_' as '_', cut at 23), stable across restarts and distinct per
   * pipeline, so that the broker keeps each job's session apart.
   */
  public String clientIdFor(String pipelineName) {
    if (clientId != null) {
      return clientId;
    }
    String id = ("railyard-" + pipelineName).replaceAll("[^A-Za-z0-9_-]", "_");
    return id.length() <= CLIENT_ID_LENGTH ? id : id.substring(0, CLIENT_ID_LENGTH);
  }

  /** The same source with {@code username} and {@code password} in place of the spec's. */
  public MqttSourceSpec withCredentials(String username, @Nullable String password) {
    return new MqttSourceSpec(server, topics, clientId, username, password);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "MqttSourceSpec[server=" + server + ", topics=" + topics + ", clientId=" + clientId
        + ", username=" + username + ", password=" + (password == null ? "none" : "***") + "]";
  }

  /** Reads a spec's {@code source.mqtt} block. */
  static MqttSourceSpec read(SpecNode node) {
    node.mapping(List.of("server", "topics", "clientId", "username", "password"));
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
    String clientId = node.get("clientId").orNull(SpecNode::location);
    if (clientId != null
        && (clientId.length() > CLIENT_ID_LENGTH || !clientId.matches("[A-Za-z0-9_-]+"))) {
      throw node.get("clientId")
          .fail(
              "'" + clientId + "' is not 1 to " + CLIENT_ID_LENGTH
                  + " letters, digits, '-' or '_' (the broker keeps the job's session under it)");
    }
    String username = node.get("username").orNull(SpecNode::location);
    String password = node.get("password").orNull(SpecNode::text);
    if (password != null && username == null) {
      throw node.get("password").fail("needs a username beside it");
    }
    return new MqttSourceSpec(server, topics, clientId, username, password);
  }
}
