package railyard.io.collector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import railyard.io.files.Checks;

/**
 * The collector's settings, from {@code --name=value} flags. Every flag has a default except the
 * sink's own (a kafka sink without {@code --kafkaBootstrap} uses {@code 127.0.0.1:9092}).
 */
public record CollectorConfig(
    String host,
    int port,
    String sink,
    String lake,
    String pipeline,
    long flushMillis,
    int maxBodyBytes,
    int maxInFlightRequests,
    long maxInFlightBytes,
    int maxThreads,
    int maxConnections,
    long sinkTimeoutMillis,
    int retryAfterSeconds,
    long shutdownTimeoutMillis,
    List<String> corsOrigins,
    Path apiKeys,
    Path tlsKeystore,
    String tlsPassword,
    String kafkaBootstrap,
    String topic,
    String mqttBroker,
    String mqttTopic,
    String pubsubTopic,
    String pubsubEmulator) {

  public static final String USAGE =
      """
      usage: java -cp railyard.jar railyard.io.collector.Collector [--flag=value ...]
        --host=127.0.0.1 --port=8080           where to listen (0 = any free port)
        --sink=lake|kafka|mqtt|pubsub          where accepted events go (default lake)
        --lake=railyard-out/lake --pipeline=clickstream --flushMillis=0     (lake sink)
        --kafkaBootstrap=127.0.0.1:9092 --topic=<pipeline>                  (kafka sink)
        --mqttBroker=tcp://127.0.0.1:1883 --mqttTopic=railyard/<pipeline>   (mqtt sink)
        --pubsubTopic=projects/<project>/topics/<topic> [--pubsubEmulator=host:port] (pubsub sink)
        --maxBodyBytes=1048576 --maxInFlightRequests=128 --maxInFlightBytes=67108864
        --maxThreads=200 --maxConnections=1000 --sinkTimeoutMillis=10000 --retryAfterSeconds=2 --shutdownTimeoutMillis=30000
        --corsOrigins=https://a.example,https://b.example|*   --apiKeys=<file of 'id key' lines>
        --tlsKeystore=<PKCS12 or JKS file> --tlsPassword=<password>
      """;

  public static CollectorConfig defaults() {
    return parse(new String[0]);
  }

  public static CollectorConfig parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      Checks.checkArgument(
          arg.startsWith("--") && arg.indexOf('=') > 2, "expected --name=value, got '%s'", arg);
      int eq = arg.indexOf('=');
      flags.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    Flags f = new Flags(flags);
    String pipeline = f.string("pipeline", "clickstream");
    Checks.checkArgument(
        Checks.isPathSegment(pipeline), "--pipeline must be one path segment; was %s", pipeline);
    CollectorConfig config =
        new CollectorConfig(
            f.string("host", "127.0.0.1"),
            f.integer("port", 8080),
            f.string("sink", "lake"),
            f.string("lake", "railyard-out/lake"),
            pipeline,
            f.longValue("flushMillis", 0),
            f.integer("maxBodyBytes", 1 << 20),
            f.integer("maxInFlightRequests", 128),
            f.longValue("maxInFlightBytes", 64L << 20),
            f.integer("maxThreads", 200),
            f.integer("maxConnections", 1000),
            f.longValue("sinkTimeoutMillis", 10_000),
            f.integer("retryAfterSeconds", 2),
            f.longValue("shutdownTimeoutMillis", 30_000),
            f.list("corsOrigins"),
            f.path("apiKeys"),
            f.path("tlsKeystore"),
            f.string("tlsPassword", null),
            f.string("kafkaBootstrap", "127.0.0.1:9092"),
            f.string("topic", pipeline),
            f.string("mqttBroker", "tcp://127.0.0.1:1883"),
            f.string("mqttTopic", "railyard/" + pipeline),
            f.string("pubsubTopic", null),
            f.string("pubsubEmulator", null));
    f.rejectUnknown();
    Checks.checkArgument(
        config.maxInFlightBytes() >= config.maxBodyBytes(),
        "--maxInFlightBytes (%s) must be at least --maxBodyBytes (%s)",
        config.maxInFlightBytes(),
        config.maxBodyBytes());
    Checks.checkArgument(
        config.maxThreads() >= 8, "--maxThreads must be at least 8; was %s", config.maxThreads());
    Checks.checkArgument(
        config.tlsKeystore() == null || config.tlsPassword() != null,
        "--tlsKeystore needs --tlsPassword");
    Checks.checkArgument(
        !config.sink().equals("pubsub") || config.pubsubTopic() != null,
        "--sink=pubsub needs --pubsubTopic=projects/<project>/topics/<topic>");
    return config;
  }

  /** The same settings with other flags applied on top, e.g. in tests. */
  public CollectorConfig with(String... overrides) {
    List<String> args = new ArrayList<>(asFlags());
    args.addAll(List.of(overrides));
    return parse(args.toArray(new String[0]));
  }

  private List<String> asFlags() {
    List<String> args = new ArrayList<>();
    args.add("--host=" + host);
    args.add("--port=" + port);
    args.add("--sink=" + sink);
    args.add("--lake=" + lake);
    args.add("--pipeline=" + pipeline);
    args.add("--flushMillis=" + flushMillis);
    args.add("--maxBodyBytes=" + maxBodyBytes);
    args.add("--maxInFlightRequests=" + maxInFlightRequests);
    args.add("--maxInFlightBytes=" + maxInFlightBytes);
    args.add("--maxThreads=" + maxThreads);
    args.add("--maxConnections=" + maxConnections);
    args.add("--sinkTimeoutMillis=" + sinkTimeoutMillis);
    args.add("--retryAfterSeconds=" + retryAfterSeconds);
    args.add("--shutdownTimeoutMillis=" + shutdownTimeoutMillis);
    if (!corsOrigins.isEmpty()) {
      args.add("--corsOrigins=" + String.join(",", corsOrigins));
    }
    if (apiKeys != null) {
      args.add("--apiKeys=" + apiKeys);
    }
    if (tlsKeystore != null) {
      args.add("--tlsKeystore=" + tlsKeystore);
      args.add("--tlsPassword=" + tlsPassword);
    }
    args.add("--kafkaBootstrap=" + kafkaBootstrap);
    args.add("--topic=" + topic);
    args.add("--mqttBroker=" + mqttBroker);
    args.add("--mqttTopic=" + mqttTopic);
    if (pubsubTopic != null) {
      args.add("--pubsubTopic=" + pubsubTopic);
    }
    if (pubsubEmulator != null) {
      args.add("--pubsubEmulator=" + pubsubEmulator);
    }
    return args;
  }

  private static final class Flags {
    private final Map<String, String> remaining;

    Flags(Map<String, String> flags) {
      this.remaining = new LinkedHashMap<>(flags);
    }

    String string(String name, String fallback) {
      String value = remaining.remove(name);
      return value == null || value.isEmpty() ? fallback : value;
    }

    int integer(String name, int fallback) {
      return (int) longValue(name, fallback);
    }

    long longValue(String name, long fallback) {
      String value = string(name, null);
      if (value == null) {
        return fallback;
      }
      try {
        long parsed = Long.parseLong(value);
        Checks.checkArgument(parsed >= 0, "--%s must not be negative; was %s", name, value);
        return parsed;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " must be a whole number; was " + value);
      }
    }

    List<String> list(String name) {
      String value = string(name, null);
      List<String> items = new ArrayList<>();
      if (value != null) {
        for (String item : value.split(",")) {
          if (!item.isBlank()) {
            items.add(item.trim());
          }
        }
      }
      return List.copyOf(items);
    }

    Path path(String name) {
      String value = string(name, null);
      return value == null ? null : Path.of(value);
    }

    void rejectUnknown() {
      Checks.checkArgument(
          remaining.isEmpty(), "unknown flag(s) %s\n%s", remaining.keySet(), USAGE);
    }
  }
}
