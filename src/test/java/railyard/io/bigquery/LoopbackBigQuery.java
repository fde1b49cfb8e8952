package railyard.io.bigquery;

import com.google.api.client.json.JsonFactory;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.extensions.gcp.util.Transport;
import org.junit.rules.ExternalResource;

/**
 * The BigQuery REST calls a table's schema evolution makes, served on 127.0.0.1: {@code
 * tables.get} and {@code tables.patch} (as Google's client sends it: a POST with {@code
 * X-HTTP-Method-Override: PATCH}), with BigQuery's patch semantics (the fields sent replace the
 * table's, the others stay), a new etag per change, {@code If-Match} honoured, and every request
 * recorded (bodies decompressed).
 */
public final class LoopbackBigQuery extends ExternalResource {
  /** One request as the server read it; {@code method} is the effective one. */
  public record Request(String method, String path, String ifMatch, String body) {}

  private static final Pattern TABLE_PATH =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/?]+)");
  private static final JsonFactory JSON = Transport.getJsonFactory();

  private final Map<String, Table> tables = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger versions = new AtomicInteger();
  private HttpServer server;

  @Override
  protected void before() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @Override
  protected void after() {
    server.stop(0);
  }

  /** The root URL for Beam's {@code --bigQueryEndpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Creates or replaces a table, as a test's starting point. */
  public void put(Table table) {
    TableReference ref = table.getTableReference();
    tables.put(key(ref.getProjectId(), ref.getDatasetId(), ref.getTableId()), table.clone().setEtag(nextEtag()));
  }

  /** The table as the server holds it now, or null. */
  public Table table(TableReference ref) {
    Table table = tables.get(key(ref.getProjectId(), ref.getDatasetId(), ref.getTableId()));
    return table == null ? null : table.clone();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String method) {
    return requests().stream().filter(r -> r.method().equals(method)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in); // Google's client compresses request bodies
    }
    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    String method = override != null ? override : exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
    requests.add(new Request(method, path, ifMatch, body));
    Matcher m = TABLE_PATH.matcher(path);
    if (!m.matches()) {
      respond(exchange, 400, error(400, "invalid", "not a table call: " + method + " " + path));
      return;
    }
    String key = key(m.group(1), m.group(2), m.group(3));
    synchronized (tables) {
      Table table = tables.get(key);
      if (table == null) {
        respond(exchange, 404, error(404, "notFound", "Not found: Table " + key));
      } else if (method.equals("GET")) {
        respond(exchange, 200, JSON.toString(table));
      } else if (method.equals("PATCH")) {
        if (ifMatch != null && !ifMatch.equals(table.getEtag())) {
          respond(exchange, 412, error(412, "conditionNotMet", "Precondition check failed."));
          return;
        }
        Table patched = table.clone();
        JSON.fromString(body, Table.class).forEach(patched::set);
        patched.setEtag(nextEtag());
        tables.put(key, patched);
        respond(exchange, 200, JSON.toString(patched));
      } else {
        respond(exchange, 405, error(405, "badRequest", "method " + method + " is not served here"));
      }
    }
  }

  private static String key(String project, String dataset, String table) {
    return project + ":" + dataset + "." + table;
  }

  private String nextEtag() {
    return "etag-" + versions.incrementAndGet();
  }

  private static String error(int code, String reason, String message) {
    return String.format(
        "{\"error\":{\"code\":%d,\"message\":\"%s\",\"errors\":[{\"reason\":\"%s\",\"message\":\"%s\"}]}}",
        code, message, reason, message);
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
