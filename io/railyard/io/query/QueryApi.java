package railyard.io.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.io.alerts.AlertJson;
import railyard.io.serving.ServingStore;
import railyard.io.serving.StoredAlert;
import railyard.io.serving.ServingStoreException;
import railyard.io.serving.ViewStats;
import railyard.io.serving.WindowPosition;
import railyard.model.ServingRow;

/**
 * The read API over a serving store, as JSON documents: every read goes through the lambda merge
 * (the batch row where one exists, else the newest speed row). Transport-free: {@link
 * QueryHandler} maps HTTP onto {@link #answer}.
 */
final class QueryApi {
  static final Duration MAX_SERIES_RANGE = Duration.ofDays(31);
  static final int MAX_KEYS = 100;
  static final int DEFAULT_PAGE_SIZE = 500;
  static final int MAX_PAGE_SIZE = 5_000;
  static final int DEFAULT_TOP = 10;
  static final int MAX_TOP = 100;
  static final String EVENT_COUNT = "event_count";
  static final String KEY_FORMAT =
      "the group-by values joined by '|'; a '|' or '\\' inside a value is escaped with '\\',"
          + " and a NUL is written '\\0'";

  /** Every API route, as the OpenAPI description names it. */
  static final List<String> ROUTES =
      List.of(
          "/v1/views",
          "/v1/views/{view}/series",
          "/v1/views/{view}/top",
          "/v1/views/{view}/latest",
          "/v1/freshness",
          QueryHandler.SQL_ROUTE,
          "/v1/alerts");
  static final int DEFAULT_ALERTS = 50;
  static final int MAX_ALERTS = 500;

  private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VIEW_ROUTE_ENDS = List.of("/series", "/top", "/latest");

  /**
   * The route of {@code path} as metrics label it: one of {@link #ROUTES}, {@code /openapi.json},
   * {@code dashboard} for the other files served, or {@code other}.
   */
  static String routeOf(String path) {
    if (ROUTES.contains(path) || path.equals("/openapi.json")) {
      return path;
    }
    if (path.startsWith("/v1/views/")) {
      for (String end : VIEW_ROUTE_ENDS) {
        if (path.endsWith(end) && path.length() > "/v1/views/".length() + end.length()) {
          return "/v1/views/{view}" + end;
        }
      }
    }
    return path.startsWith("/v1/") ? "other" : "dashboard";
  }

  private final ServingStore store;
  private final ViewCatalog catalog;
  private final LongSupplier clock;

  QueryApi(ServingStore store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
    this.catalog = new ViewCatalog(store, clock);
  }

  /**
   * The document for a GET of {@code path} with {@code parameters}; throws {@link ApiException}
   * for a request it refuses.
   */
  ObjectNode answer(String path, Map<String, List<String>> parameters) {
    try {
      return route(path, parameters);
    } catch (ServingStoreException e) {
      LOG.warn("Cannot answer {}: the serving store failed", path, e);
      throw new ApiException(503, "The serving store cannot be read just now");
    }
  }

  private ObjectNode route(String path, Map<String, List<String>> parameters) {
    if (path.equals("/v1/views")) {
      Parameters.of(parameters, Set.of());
      return views();
    }
    if (path.equals("/v1/freshness")) {
      Parameters.of(parameters, Set.of());
      return freshness();
    }
    if (path.equals("/v1/alerts")) {
      return alerts(Parameters.of(parameters, Set.of("status", "limit")));
    }
    String prefix = "/v1/views/";
    if (path.startsWith(prefix)) {
      String rest = path.substring(prefix.length());
      int slash = rest.lastIndexOf('/');
      if (slash > 0) {
        String view = rest.substring(0, slash);
        switch (rest.substring(slash + 1)) {
          case "series":
            return series(view, Parameters.of(parameters, Set.of("key", "from", "to", "limit",
                "pageToken")));
          case "top":
            return top(view, Parameters.of(parameters, Set.of("window", "metric", "n")));
          case "latest":
            Parameters.of(parameters, Set.of());
            return latest(view);
          default:
            break;
        }
      }
    }
    throw ApiException.notFound("No such endpoint; see /openapi.json");
  }

  private ObjectNode views() {
    ObjectNode document = JSON.createObjectNode();
    ArrayNode views = document.putArray("views");
    for (ViewStats stats : catalog.list()) {
      ObjectNode view = views.addObject();
      view.put("name", stats.view());
      view.put("key", KEY_FORMAT);
      ArrayNode metrics = view.putArray("metrics");
      stats.metricNames().forEach(metrics::add);
      ArrayNode lengths = view.putArray("windowLengthsSeconds");
      stats.windowLengths().forEach(length -> lengths.add(length / 1000.0));
      view.put("firstWindowStart", time(stats.firstWindowStart()));
      view.put("lastWindowEnd", time(stats.lastWindowEnd()));
      view.put("rows", stats.rows());
    }
    return document;
  }

  private ObjectNode freshness() {
    long now = clock.getAsLong();
    ObjectNode document = JSON.createObjectNode();
    document.put("now", time(now));
    ArrayNode views = document.putArray("views");
    for (ViewStats stats : catalog.list()) {
      ObjectNode view = views.addObject();
      view.put("view", stats.view());
      view.put("newestWindowEnd", time(stats.lastWindowEnd()));
      view.put("newestComputedAt", time(stats.lastComputedAt()));
      view.put("ageSeconds", (now - stats.lastComputedAt()) / 1000.0);
      view.put("windowEndAgeSeconds", (now - stats.lastWindowEnd()) / 1000.0);
    }
    return document;
  }

  /** The open incidents, or with {@code status=all} the newest ones, open or resolved. */
  private ObjectNode alerts(Parameters parameters) {
    String status = parameters.optional("status");
    if (status != null && !status.equals("open") && !status.equals("all")) {
      throw new ApiException(400, "status must be open or all, not '" + Parameters.shortened(status) + "'");
    }
    List<StoredAlert> stored =
        "all".equals(status)
            ? store.recentAlerts(parameters.intBetween("limit", 1, MAX_ALERTS, DEFAULT_ALERTS))
            : store.openAlerts();
    ObjectNode document = JSON.createObjectNode();
    ArrayNode alerts = document.putArray("alerts");
    for (StoredAlert incident : stored) {
      ObjectNode alert = AlertJson.document(incident.alert());
      alert.put("openedAt", time(incident.openedAt()));
      if (incident.resolvedAt() != null) {
        alert.put("resolvedAt", time(incident.resolvedAt()));
      }
      alerts.add(alert);
    }
    return document;
  }

  private ObjectNode series(String view, Parameters parameters) {
    List<String> keys = parameters.all("key");
    if (keys.isEmpty()) {
      throw ApiException.badRequest("Parameter 'key' is required (repeat it for several keys)");
    }
    if (keys.size() > MAX_KEYS) {
      throw ApiException.badRequest("At most " + MAX_KEYS + " 'key' parameters, got " + keys.size());
    }
    for (String key : keys) {
      if (key.indexOf('\0') >= 0) {
        throw ApiException.badRequest(
            "Parameter 'key' holds a NUL; a key writes a NUL inside a value as '\\0'");
      }
    }
    List<String> distinctKeys = List.copyOf(new LinkedHashSet<>(keys));
    long from = parameters.requiredTime("from");
    long to = parameters.requiredTime("to");
    if (to <= from) {
      throw ApiException.badRequest("Parameter 'to' must be after 'from'");
    }
    if (to - from > MAX_SERIES_RANGE.toMillis()) {
      throw ApiException.badRequest(
          "The range from 'from' to 'to' is longer than " + MAX_SERIES_RANGE.toDays() + " days");
    }
    int limit = parameters.intBetween("limit", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
    String query = PageToken.query(view, distinctKeys, from, to, limit);
    String token = parameters.optional("pageToken");
    WindowPosition after = token == null ? null : PageToken.decode(query, token);
    catalog.require(view);

    List<ServingRow> rows = store.readMerged(view, distinctKeys, from, to, after, limit + 1);
    ObjectNode document = JSON.createObjectNode();
    document.put("view", view);
    ArrayNode out = document.putArray("rows");
    rows.stream().limit(limit).forEach(row -> out.add(row(row)));
    if (rows.size() > limit) {
      ServingRow last = rows.get(limit - 1);
      document.put(
          "nextPageToken",
          PageToken.encode(
              query, new WindowPosition(last.key(), last.windowStart(), last.windowEnd())));
    } else {
      document.putNull("nextPageToken");
    }
    return document;
  }

  private ObjectNode top(String view, Parameters parameters) {
    long window = parameters.requiredTime("window");
    String metric = parameters.optional("metric");
    if (metric == null) {
      metric = EVENT_COUNT;
    }
    int n = parameters.intBetween("n", 1, MAX_TOP, DEFAULT_TOP);
    ViewStats stats = catalog.require(view);

    List<ServingRow> rows = store.readMergedStartingAt(view, window);
    Set<String> metrics = new HashSet<>(stats.metricNames());
    rows.forEach(row -> metrics.addAll(row.metrics().keySet()));
    if (!metric.equals(EVENT_COUNT) && !metrics.contains(metric)) {
      throw ApiException.badRequest(
          "Unknown metric '" + Parameters.shortened(metric) + "' for view '" + view
              + "'; known: " + EVENT_COUNT + ", " + String.join(", ", stats.metricNames()));
    }
    String chosen = metric;
    List<ServingRow> ranked = new ArrayList<>(rows);
    // Highest first; rows without the metric, or with NaN, go last; ties by key.
    ranked.sort(
        Comparator.comparingDouble((ServingRow row) -> rankValue(row, chosen))
            .reversed()
            .thenComparing(ServingRow::key));
    ObjectNode document = JSON.createObjectNode();
    document.put("view", view);
    document.put("windowStart", time(window));
    document.put("metric", metric);
    ArrayNode out = document.putArray("rows");
    for (ServingRow row : ranked.subList(0, Math.min(n, ranked.size()))) {
      ObjectNode entry = row(row);
      Double value = value(row, chosen);
      if (value == null) {
        entry.putNull("value");
      } else {
        entry.put("value", value);
      }
      out.add(entry);
    }
    return document;
  }

  private ObjectNode latest(String view) {
    catalog.require(view);
    List<ServingRow> rows = store.readLatestCompleteWindow(view);
    ObjectNode document = JSON.createObjectNode();
    document.put("view", view);
    document.put(
        "complete",
        "the window starting last with a batch row or an ON_TIME/LATE speed row in the merge");
    if (rows.isEmpty()) {
      document.putNull("window");
    } else {
      ObjectNode window = document.putObject("window");
      window.put("start", time(rows.get(0).windowStart()));
      window.put("end", time(rows.get(0).windowEnd()));
    }
    ArrayNode out = document.putArray("rows");
    rows.forEach(row -> out.add(row(row)));
    return document;
  }

  private static Double value(ServingRow row, String metric) {
    return metric.equals(EVENT_COUNT) ? (double) row.eventCount() : row.metrics().get(metric);
  }

  private static double rankValue(ServingRow row, String metric) {
    Double value = value(row, metric);
    return value == null || value.isNaN() ? Double.NEGATIVE_INFINITY : value;
  }

  private static ObjectNode row(ServingRow row) {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", row.key());
    node.put("windowStart", time(row.windowStart()));
    node.put("windowEnd", time(row.windowEnd()));
    node.put("eventCount", row.eventCount());
    ObjectNode metrics = node.putObject("metrics");
    Map<String, Double> ordered = new LinkedHashMap<>(row.metrics());
    ordered.forEach(metrics::put);
    node.put("layer", row.layer().label());
    node.put("pane", row.pane());
    node.put("computedAt", time(row.computedAt()));
    return node;
  }

  private static String time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }
}
