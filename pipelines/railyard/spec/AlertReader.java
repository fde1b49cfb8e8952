package railyard.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;
import railyard.io.alerts.AlertSinks;
import railyard.io.alerts.WebhookConfig;
import railyard.schema.AlertRule;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;
import railyard.transforms.HealthView;

/**
 * Reads a spec's {@code alerts:} block, checking each rule's view and metric against the health
 * view and the spec's views, and each sink's settings.
 */
final class AlertReader {
  private static final List<String> ALERTS_KEYS = List.of("freshness", "sinks", "rules");
  private static final List<String> SINK_KEYS = List.of("log", "store", "webhook", "kafka");
  private static final List<String> WEBHOOK_KEYS =
      List.of("url", "format", "maxAttempts", "initialBackoff", "maxBackoff");
  private static final List<String> KAFKA_KEYS = List.of("bootstrapServers", "topic");
  private static final List<String> RULE_KEYS =
      List.of(
          "name", "view", "metric", "above", "below", "baseline", "severity", "for", "clearAfter",
          "message", "noDataFor");
  static final int DEFAULT_CLEAR_AFTER = 2;

  private AlertReader() {}

  static AlertsSpec read(SpecNode node, List<ViewSpec> views, Outputs outputs) {
    if (!node.isPresent()) {
      return AlertsSpec.none();
    }
    node.mapping(ALERTS_KEYS);
    SpecNode freshnessNode = node.get("freshness");
    org.joda.time.Duration freshness = freshnessNode.orNull(SpecNode::duration);
    if (freshness != null && freshness.getMillis() <= 0) {
      throw freshnessNode.fail("must be longer than 0");
    }
    AlertSinks sinks = node.get("sinks").or(s -> sinks(s, outputs), AlertSinks.logOnly());
    List<AlertRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (SpecNode item : node.get("rules").items()) {
      AlertRule rule = rule(item, views);
      if (!names.add(rule.name())) {
        throw item.get("name").fail("duplicate rule name '" + rule.name() + "'");
      }
      rules.add(rule);
    }
    return new AlertsSpec(rules, freshness, sinks);
  }

  private static AlertRule rule(SpecNode item, List<ViewSpec> views) {
    item.mapping(RULE_KEYS);
    String name = SchemaReader.identifier(item.require("name"));
    SpecNode viewNode = item.get("view");
    String view = viewNode.or(SpecNode::text, HealthView.NAME);
    List<String> metrics = metricsOf(viewNode, view, views);
    AlertRule.Severity severity =
        item.get("severity").or(s -> s.enumValue(AlertRule.Severity.class), AlertRule.Severity.WARNING);
    @Nullable String message = item.get("message").orNull(SpecNode::text);
    SpecNode noDataFor = item.get("noDataFor");
    if (noDataFor.isPresent()) {
      for (String key : List.of("metric", "above", "below", "baseline", "for", "clearAfter")) {
        if (item.get(key).isPresent()) {
          throw item.get(key)
              .fail("a noDataFor rule watches for missing rows: it takes no '" + key + "'");
        }
      }
      org.joda.time.Duration silence = noDataFor.duration();
      if (silence.getMillis() <= 0) {
        throw noDataFor.fail("must be longer than 0");
      }
      return AlertRule.noData(name, view, silence.getMillis(), severity, message);
    }
    SpecNode metricNode = item.require("metric");
    String metric = metricNode.text();
    if (!metrics.contains(metric)) {
      throw metricNode.fail(
          "view " + view + " has no metric '" + metric + "' (it has: " + String.join(", ", metrics)
              + ")");
    }
    SpecNode above = item.get("above");
    SpecNode below = item.get("below");
    if (above.isPresent() == below.isPresent()) {
      throw item.fail("give exactly one of 'above' and 'below' (the threshold)");
    }
    AlertRule.Condition condition =
        above.isPresent() ? AlertRule.Condition.ABOVE : AlertRule.Condition.BELOW;
    double threshold = (above.isPresent() ? above : below).number();
    SpecNode baselineNode = item.get("baseline");
    int baseline = baselineNode.or(SpecNode::intValue, 0);
    if (baseline < 0 || (baselineNode.isPresent() && baseline < 2)) {
      throw baselineNode.fail("must be 2 or more windows, got " + baseline);
    }
    if (baseline > 0 && threshold < 0) {
      throw (above.isPresent() ? above : below)
          .fail("with a baseline the threshold is a share of it, so it cannot be negative");
    }
    int forWindows = atLeastOne(item.get("for"), 1);
    int clearAfter = atLeastOne(item.get("clearAfter"), DEFAULT_CLEAR_AFTER);
    return new AlertRule(
        name, view, metric, condition, threshold, baseline, severity, forWindows, clearAfter,
        message);
  }

  private static List<String> metricsOf(SpecNode viewNode, String view, List<ViewSpec> views) {
    if (view.equals(HealthView.NAME)) {
      return HealthView.columns();
    }
    for (ViewSpec spec : views) {
      if (spec.name().equals(view)) {
        return spec.metrics().stream().map(MetricSpec::name).toList();
      }
    }
    List<String> known = new ArrayList<>(List.of(HealthView.NAME));
    views.forEach(v -> known.add(v.name()));
    throw viewNode.fail("no view '" + view + "' (views: " + String.join(", ", known) + ")");
  }

  private static int atLeastOne(SpecNode node, int fallback) {
    int value = node.or(SpecNode::intValue, fallback);
    if (value < 1) {
      throw node.fail("must be 1 or more windows, got " + value);
    }
    return value;
  }

  private static AlertSinks sinks(SpecNode node, Outputs outputs) {
    node.mapping(SINK_KEYS);
    boolean log = node.get("log").or(SpecNode::bool, true);
    boolean store = node.get("store").or(SpecNode::bool, false);
    AlertSinks sinks = new AlertSinks(null, null, null, log, null);
    if (store) {
      if (outputs.serving().startsWith("bigquery:")) {
        throw node.get("store").fail("the alerts table needs a SQLite or PostgreSQL serving store");
      }
      sinks = sinks.withStore(outputs.serving());
    }
    SpecNode webhook = node.get("webhook");
    if (webhook.isPresent()) {
      sinks = sinks.withWebhook(webhook(webhook));
    }
    SpecNode kafka = node.get("kafka");
    if (kafka.isPresent()) {
      kafka.mapping(KAFKA_KEYS);
      sinks = sinks.withKafka(
          kafka.require("bootstrapServers").location(), kafka.require("topic").location());
    }
    return sinks;
  }

  private static WebhookConfig webhook(SpecNode node) {
    node.mapping(WEBHOOK_KEYS);
    SpecNode url = node.require("url");
    WebhookConfig config;
    try {
      config = WebhookConfig.to(url.location());
    } catch (IllegalArgumentException e) {
      throw url.fail(e.getMessage());
    }
    String format = node.get("format").or(SpecNode::text, "json");
    if (!format.equals("json") && !format.equals("slack")) {
      throw node.get("format").fail("'" + format + "' is not one of: json, slack");
    }
    int attempts = atLeastOne(node.get("maxAttempts"), WebhookConfig.DEFAULT_MAX_ATTEMPTS);
    Duration initial = javaDuration(node.get("initialBackoff"), WebhookConfig.DEFAULT_INITIAL_BACKOFF);
    Duration max = javaDuration(node.get("maxBackoff"), WebhookConfig.DEFAULT_MAX_BACKOFF);
    if (max.compareTo(initial) < 0) {
      throw node.get("maxBackoff").fail("must be at least initialBackoff");
    }
    return config.withSlack(format.equals("slack")).withRetries(attempts, initial, max);
  }

  private static Duration javaDuration(SpecNode node, Duration fallback) {
    return node.isPresent() ? Duration.ofMillis(node.duration().getMillis()) : fallback;
  }
}
