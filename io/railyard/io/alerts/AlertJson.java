package railyard.io.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import railyard.model.Alert;

/** An alert as JSON: its own document, or a Slack-compatible message. */
public final class AlertJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertJson() {}

  public static ObjectNode document(Alert alert) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", alert.id());
    node.put("status", alert.status().label());
    node.put("source", alert.source());
    node.put("pipeline", alert.pipeline());
    node.put("rule", alert.rule());
    node.put("severity", alert.severity());
    node.put("view", alert.view());
    node.put("key", alert.key());
    node.put("metric", alert.metric());
    node.put("value", alert.value());
    node.put("threshold", alert.threshold());
    node.put("windowStart", Instant.ofEpochMilli(alert.windowStart()).toString());
    node.put("windowEnd", Instant.ofEpochMilli(alert.windowEnd()).toString());
    node.put("message", alert.message());
    return node;
  }

  public static String text(Alert alert) {
    return document(alert).toString();
  }

  /** Slack's incoming-webhook shape: a text line, and the details as attachment fields. */
  public static String slack(Alert alert) {
    ObjectNode node = JSON.createObjectNode();
    String icon = alert.status() == Alert.Status.RESOLVED ? ":white_check_mark:" : ":rotating_light:";
    node.put(
        "text",
        icon + " [" + alert.severity() + "] " + alert.pipeline() + " · " + alert.rule() + " "
            + alert.status().label() + ": " + alert.message());
    ArrayNode attachments = node.putArray("attachments");
    ObjectNode attachment = attachments.addObject();
    attachment.put("color", alert.status() == Alert.Status.RESOLVED ? "good" : "danger");
    attachment.put("fallback", alert.message());
    ArrayNode fields = attachment.putArray("fields");
    field(fields, "id", alert.id());
    field(fields, "view", alert.view() + (alert.key().isEmpty() ? "" : " [" + alert.key() + "]"));
    field(fields, "metric", alert.metric() + " = " + alert.value());
    field(fields, "window", Instant.ofEpochMilli(alert.windowStart()) + " – "
        + Instant.ofEpochMilli(alert.windowEnd()));
    return node.toString();
  }

  private static void field(ArrayNode fields, String title, String value) {
    ObjectNode field = fields.addObject();
    field.put("title", title);
    field.put("value", value);
    field.put("short", true);
  }
}
