package railyard.transforms;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import javax.annotation.Nullable;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.schema.AlertRule;

/**
 * The incident of one rule for one key, fed that key's complete windows in window order. It opens
 * after {@code forWindows} consecutive windows in breach and resolves after {@code clearWindows}
 * consecutive clear ones, so a flapping metric gives one incident, not one alert per window. A
 * window without the metric (e.g. no ratio in a minute with nothing received) changes nothing.
 */
final class Incident implements Serializable {
  private final ArrayDeque<Double> baseline = new ArrayDeque<>();
  private @Nullable String openId;
  private int breachRun;
  private int clearRun;
  private long firstBreachStart;

  /** The alert {@code row} causes, or null if the incident does not change. */
  @Nullable
  Alert observe(AlertRule rule, String pipeline, ServingRow row) {
    Double value = row.metrics().get(rule.metric());
    if (value == null) {
      return null;
    }
    Double limit = limit(rule);
    boolean breach = limit != null && rule.breaches(value, limit);
    if (!breach && rule.baselineWindows() > 0) {
      baseline.addLast(value);
      if (baseline.size() > rule.baselineWindows()) {
        baseline.removeFirst();
      }
    }
    if (openId == null) {
      if (!breach) {
        breachRun = 0;
        return null;
      }
      if (breachRun++ == 0) {
        firstBreachStart = row.windowStart();
      }
      if (breachRun < rule.forWindows()) {
        return null;
      }
      openId = id(pipeline, rule.name(), row.key(), firstBreachStart);
      clearRun = 0;
      return alert(Alert.Status.OPEN, rule, pipeline, row, value, limit);
    }
    if (breach) {
      clearRun = 0;
      return null;
    }
    if (++clearRun < rule.clearWindows()) {
      return null;
    }
    Alert resolved =
        alert(Alert.Status.RESOLVED, rule, pipeline, row, value, limit == null ? 0 : limit);
    openId = null;
    breachRun = 0;
    return resolved;
  }

  /** The effective threshold; null while a baseline has under half its windows. */
  private @Nullable Double limit(AlertRule rule) {
    if (rule.baselineWindows() == 0) {
      return rule.threshold();
    }
    if (baseline.size() * 2 < rule.baselineWindows()) {
      return null;
    }
    double sum = 0;
    for (double v : baseline) {
      sum += v;
    }
    return rule.threshold() * sum / baseline.size();
  }

  private Alert alert(
      Alert.Status status, AlertRule rule, String pipeline, ServingRow row, double value,
      double limit) {
    return new Alert(
        openId,
        status,
        "pipeline",
        pipeline,
        rule.name(),
        rule.severity().label(),
        row.view(),
        row.key(),
        rule.metric(),
        value,
        limit,
        row.windowStart(),
        row.windowEnd(),
        rule.message() != null ? rule.message() : message(status, rule, row, value, limit));
  }

  private static String message(
      Alert.Status status, AlertRule rule, ServingRow row, double value, double limit) {
    String where = row.view() + (row.key().isEmpty() ? "" : " [" + row.key() + "]");
    return String.format(
        Locale.ROOT,
        "%s: %s %s is %s %s %.4g (rule %s)",
        status == Alert.Status.OPEN ? "Opened" : "Resolved",
        where,
        rule.metric(),
        String.format(Locale.ROOT, "%.4g", value),
        status == Alert.Status.OPEN ? rule.condition().label() : "back within",
        limit,
        rule.name());
  }

  /** Stable across retries and replays: the same incident always gets the same id. */
  static String id(String pipeline, String rule, String key, long firstBreachStart) {
    return Hashing.sha256()
        .hashString(
            String.join("\u0000", pipeline, rule, key, Long.toString(firstBreachStart)),
            StandardCharsets.UTF_8)
        .toString()
        .substring(0, 24);
  }
}
