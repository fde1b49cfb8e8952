package railyard.io.metrics;

import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** An HTTP server that answers only {@code GET /metrics}, for a process with no server of its own. */
public final class MetricsServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  private MetricsServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** Serves {@code metrics} on {@code host}:{@code port} (0: any free port) until closed. */
  public static MetricsServer start(String host, int port, PrometheusMetrics metrics)
      throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    Handler nothingElse =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            return false;
          }
        };
    server.setHandler(new HttpMetrics(nothingElse, metrics, path -> "other", request -> true));
    server.start();
    return new MetricsServer(server, connector);
  }

  /** E.g. {@code http://127.0.0.1:9464/metrics}. */
  public URI uri() {
    return URI.create(
        "http://" + connector.getHost() + ":" + connector.getLocalPort() + PrometheusMetrics.PATH);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop the metrics server", e);
    }
  }
}
