package railyard.io.collector;

import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import railyard.io.http.JsonErrorHandler;
import railyard.io.metrics.HttpMetrics;
import railyard.io.metrics.PrometheusMetrics;
import org.slf4j.LoggerFactory;

/**
 * The HTTP collector: a standalone service that takes events over HTTP(S) and hands them durably
 * to a sink (the raw lake by default, or Kafka, or MQTT) before it answers.
 *
 * <pre>
 * java -cp target/railyard.jar railyard.io.collector.Collector --port=8080 --sink=lake \
 *     --lake=railyard-out/lake --pipeline=clickstream
 * </pre>
 *
 * <p>{@link #stop()} (also run on SIGTERM) stops accepting connections, lets requests in flight
 * finish (up to {@code --shutdownTimeoutMillis}), then flushes and closes the sink, so every event
 * that was acknowledged is durable.
 */
public final class Collector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

  private final CollectorConfig config;
  private final EventSink sink;
  private final Server server;
  private final ServerConnector connector;
  private boolean stopped;

  private Collector(CollectorConfig config, EventSink sink) throws IOException {
    this.config = config;
    this.sink = sink;
    ApiKeys apiKeys = config.apiKeys() == null ? null : ApiKeys.load(config.apiKeys());
    QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), 8);
    threads.setName("collector");
    this.server = new Server(threads);
    this.connector = connector(server, config);
    server.addConnector(connector);
    // Beyond this many open connections Jetty stops accepting; new ones wait in the kernel backlog.
    server.addBean(new NetworkConnectionLimit(config.maxConnections(), server));
    server.setHandler(
        new GracefulHandler(
            new HttpMetrics(
                new CollectorHandler(config, sink, apiKeys),
                new PrometheusMetrics(),
                CollectorHandler::routeOf,
                request -> true)));
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(config.shutdownTimeoutMillis());
    server.setStopAtShutdown(false);
  }

  /** Starts a collector with its configured sink; it listens when this returns. */
  public static Collector start(CollectorConfig config) throws Exception {
    return start(config, Sinks.open(config));
  }

  /** Starts a collector that writes to {@code sink}; the collector closes it on {@link #stop()}. */
  public static Collector start(CollectorConfig config, EventSink sink) throws Exception {
    Collector collector;
    try {
      collector = new Collector(config, sink);
      collector.server.start();
    } catch (Exception e) {
      sink.close();
      throw e;
    }
    LOG.info("collector listening on {} with sink {}", collector.uri(), sink.describe());
    return collector;
  }

  /** The base URI, e.g. {@code http://127.0.0.1:8080}. */
  public URI uri() {
    String scheme = config.tlsKeystore() == null ? "http" : "https";
    return URI.create(scheme + "://" + config.host() + ":" + connector.getLocalPort());
  }

  public EventSink sink() {
    return sink;
  }

  /** Stops accepting, finishes requests in flight, then flushes and closes the sink. */
  public synchronized void stop() throws Exception {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      server.stop();
    } finally {
      sink.close();
    }
    LOG.info("collector stopped");
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  private static ServerConnector connector(Server server, CollectorConfig config) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector;
    if (config.tlsKeystore() == null) {
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
    } else {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStorePath(config.tlsKeystore().toString());
      tls.setKeyStorePassword(config.tlsPassword());
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Clients may reach the collector by IP address, which carries no SNI name to check.
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      connector =
          new ServerConnector(
              server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
    }
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(30_000);
    return connector;
  }

  public static void main(String[] args) throws Exception {
    CollectorConfig config;
    try {
      config = CollectorConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("collector: " + e.getMessage());
      System.exit(2);
      return;
    }
    Collector collector = start(config);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    collector.stop();
                  } catch (Exception e) {
                    LOG.error("collector: stop failed", e);
                  }
                },
                "collector-shutdown"));
    System.err.println("collector: listening on " + collector.uri() + CollectorHandler.EVENTS_PATH);
    collector.server.join();
  }
}
