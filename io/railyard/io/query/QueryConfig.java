package railyard.io.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * How a {@link QueryServer} runs.
 *
 * @param serving any location {@code ServingStore.open} accepts
 * @param host the address to bind; beyond loopback, tokens are required
 * @param port the port, 0 for any free one
 * @param tokens the bearer tokens the API accepts; empty: no token needed (loopback only)
 * @param corsOrigins the origins allowed to call the API from a browser ({@code *} for any)
 * @param warehouse the warehouse root whose catalogued tables {@code /v1/sql} reads, or null for
 *     no SQL
 * @param spec the pipeline spec whose {@code alerts.freshness} the watchdog enforces, through its
 *     {@code alerts.sinks}; null for no watchdog
 */
public record QueryConfig(
    String serving,
    String host,
    int port,
    Set<String> tokens,
    List<String> corsOrigins,
    @Nullable String warehouse,
    @Nullable String spec) {
  public static final String USAGE =
      "QueryServer --serving=<file.db|postgresql://…> [--host=127.0.0.1] [--port=8081]"
          + " [--tokens=<file, one bearer token a line>] [--corsOrigins=https://a.example,…]"
          + " [--warehouse=<warehouse root, for /v1/sql>]"
          + " [--spec=<pipeline spec: its alerts.freshness starts the watchdog>]";

  public QueryConfig {
    tokens = Set.copyOf(tokens);
    corsOrigins = List.copyOf(corsOrigins);
    if (serving == null || serving.isBlank()) {
      throw new IllegalArgumentException("--serving is required. " + USAGE);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be 0 to 65535, was " + port);
    }
    if (tokens.isEmpty() && !isLoopback(host)) {
      throw new IllegalArgumentException(
          "--host=" + host + " binds beyond loopback: give --tokens=<file> so that only holders"
              + " of a token can read");
    }
  }

  /** A loopback-only config without tokens or CORS. */
  public static QueryConfig loopback(String serving, int port) {
    return new QueryConfig(serving, "127.0.0.1", port, Set.of(), List.of(), null, null);
  }

  public QueryConfig withTokens(Set<String> newTokens) {
    return new QueryConfig(serving, host, port, newTokens, corsOrigins, warehouse, spec);
  }

  public QueryConfig withCorsOrigins(List<String> origins) {
    return new QueryConfig(serving, host, port, tokens, origins, warehouse, spec);
  }

  /** Serves read-only SQL at {@code /v1/sql} over the warehouse at {@code root}. */
  public QueryConfig withWarehouse(String root) {
    return new QueryConfig(serving, host, port, tokens, corsOrigins, root, spec);
  }

  /** Parses {@code --name=value} arguments. */
  public static QueryConfig parse(String... args) {
    String serving = null;
    String host = "127.0.0.1";
    int port = 8081;
    Set<String> tokens = Set.of();
    List<String> cors = List.of();
    String warehouse = null;
    String spec = null;
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (!arg.startsWith("--") || equals < 0) {
        throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'. " + USAGE);
      }
      String value = arg.substring(equals + 1);
      switch (arg.substring(2, equals)) {
        case "serving" -> serving = value;
        case "host" -> host = value;
        case "port" -> port = parsePort(value);
        case "tokens" -> tokens = readTokens(Path.of(value));
        case "warehouse" -> warehouse = value;
        case "spec" -> spec = value;
        case "corsOrigins" ->
            cors = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        default -> throw new IllegalArgumentException("Unknown option '" + arg + "'. " + USAGE);
      }
    }
    return new QueryConfig(serving, host, port, tokens, cors, warehouse, spec);
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port is not a number: '" + value + "'");
    }
  }

  /** One token a line; blank lines and lines starting with '#' are skipped. */
  static Set<String> readTokens(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read --tokens file " + file, e);
    }
    List<String> tokens = new ArrayList<>();
    for (String line : lines) {
      String token = line.trim();
      if (!token.isEmpty() && !token.startsWith("#")) {
        tokens.add(token);
      }
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("--tokens file " + file + " holds no token");
    }
    return new LinkedHashSet<>(tokens);
  }

  static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      // Literal addresses only: no name lookups here.
      if (host.matches("[0-9.]+") || host.contains(":")) {
        return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
      }
    } catch (UnknownHostException e) {
      return false;
    }
    return false;
  }
}
