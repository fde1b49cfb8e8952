package railyard.io.query;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import railyard.io.catalog.FileCatalog;
import railyard.io.http.JsonErrorHandler;
import javax.annotation.Nullable;
import railyard.io.metrics.HttpMetrics;
import railyard.io.metrics.PrometheusMetrics;
import railyard.io.metrics.ServingStoreGauges;
import railyard.io.serving.ServingStore;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;

/**
 * The query API and dashboard over one serving store, on Jetty:
 *
 * <pre>
 * java -cp target/railyard.jar railyard.io.query.QueryServer \
 *     --serving=railyard-out/serving.db --port=8081
 * </pre>
 *
 * <p>JSON under {@code /v1/}, described by {@code /openapi.json}; the dashboard at {@code /};
 * Prometheus metrics at {@code /metrics} (under the same tokens as the API). With {@code
 * --warehouse=<root>}, read-only SQL over the catalogued warehouse at {@code /v1/sql}. With {@code
 * --spec=<file>} whose {@code alerts.freshness} is set, a {@link Watchdog} raises an alert for each
 * view that stops getting new windows.
 */
public final class QueryServer implements AutoCloseable {
  /** How often the watchdog looks at the store. */
  static final java.time.Duration WATCHDOG_INTERVAL = java.time.Duration.ofSeconds(15);

  private final ServingStore store;
  private final Server server;
  private final @Nullable Watchdog watchdog;

  private QueryServer(ServingStore store, Server server, @Nullable Watchdog watchdog) {
    this.store = store;
    this.server = server;
    this.watchdog = watchdog;
  }

  public static void main(String[] args) throws Exception {
    QueryConfig config;
    try {
      config = QueryConfig.parse(args);
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    QueryServer server;
    try {
      server = start(config);
    } catch (Exception e) {
      System.err.println("Cannot start the query server: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("Railyard query API and dashboard at " + server.uri());
    server.server.join();
  }

  /**
   * Opens the store and starts serving; {@link #close} stops both. An SQLite file must exist: a
   * mistyped path is an error, not a new empty store.
   */
  public static QueryServer start(QueryConfig config) throws Exception {
    return start(config, config.spec() == null ? null : watchdogOf(Path.of(config.spec())));
  }

  /**
   * As {@link #start(QueryConfig)}, with {@code watchdog} (null for none) checking the store's
   * views for freshness and delivering its alerts.
   */
  public static QueryServer start(QueryConfig config, @Nullable Watchdog.Settings watchdog)
      throws Exception {
    Path file = sqliteFile(config.serving());
    if (file != null && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("No serving store at " + file.toAbsolutePath());
    }
    ServingStore store = ServingStore.open(config.serving());
    try {
      return start(config, store, watchdog);
    } catch (Exception e) {
      store.close();
      throw e;
    }
  }

  /** The file of an SQLite location, or null for PostgreSQL. */
  private static Path sqliteFile(String location) {
    if (location.contains("://")) {
      return null;
    }
    for (String prefix : new String[] {"jdbc:sqlite:", "sqlite:"}) {
      if (location.startsWith(prefix)) {
        return Path.of(location.substring(prefix.length()));
      }
    }
    return Path.of(location);
  }

  /** The watchdog a spec declares ({@code alerts.freshness}), or null if it declares none. */
  private static @Nullable Watchdog.Settings watchdogOf(Path specFile) {
    PipelineSpec spec = SpecLoader.load(specFile);
    if (spec.alerts().freshness() == null) {
      return null;
    }
    return new Watchdog.Settings(
        spec.name(),
        java.time.Duration.ofMillis(spec.alerts().freshness().getMillis()),
        WATCHDOG_INTERVAL,
        spec.alerts().sinks());
  }

  private static QueryServer start(
      QueryConfig config, ServingStore store, @Nullable Watchdog.Settings watchdogSettings)
      throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    server.addConnector(connector);

    QueryHandler queries =
        new QueryHandler(
            new QueryApi(store, System::currentTimeMillis),
            config.warehouse() == null
                ? null
                : new SqlApi(FileCatalog.at(config.warehouse()), SqlApi.TIMEOUT),
            StaticAssets.load(),
            config.tokens());
    PrometheusMetrics metrics = new PrometheusMetrics();
    ServingStoreGauges.register(metrics, store, System::currentTimeMillis);
    Handler handler = new HttpMetrics(queries, metrics, QueryApi::routeOf, queries::authorized);
    if (!config.corsOrigins().isEmpty()) {
      handler = crossOrigin(config, handler);
    }
    server.setHandler(handler);
    server.setErrorHandler(new JsonErrorHandler());
    server.start();
    Watchdog watchdog = null;
    if (watchdogSettings != null) {
      watchdog = new Watchdog(store, watchdogSettings, System::currentTimeMillis);
      watchdog.start();
    }
    return new QueryServer(store, server, watchdog);
  }

  private static Handler crossOrigin(QueryConfig config, Handler handler) {
    CrossOriginHandler cors = new CrossOriginHandler();
    cors.setAllowedOriginPatterns(
        config.corsOrigins().contains("*")
            ? Set.of(".*")
            : Set.copyOf(config.corsOrigins().stream().map(Pattern::quote).toList()));
    cors.setAllowedMethods(Set.of("GET", "HEAD"));
    cors.setAllowedHeaders(Set.of("Authorization"));
    cors.setHandler(handler);
    return cors;
  }

  /** Where the service answers, e.g. {@code http://127.0.0.1:8081/}. */
  public URI uri() {
    ServerConnector connector = (ServerConnector) server.getConnectors()[0];
    String host = connector.getHost().contains(":") ? "[" + connector.getHost() + "]"
        : connector.getHost();
    return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
  }

  @Override
  public void close() {
    try {
      if (watchdog != null) {
        watchdog.close();
      }
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop the query server", e);
    } finally {
      store.close();
    }
  }
}
