package railyard.schema;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * A threshold on one metric of one view, checked on each complete window of each key; or, with
 * {@code noDataForMillis}, a watch for a key of a view that has produced no row for that long.
 *
 * @param name the rule's name, unique in the spec; part of every alert's id
 * @param view the view whose rows it reads ({@code _health} for the pipeline's health)
 * @param metric the metric column it compares
 * @param condition whether a value above or below the threshold is a breach
 * @param threshold the limit; with a baseline, a share of the baseline
 * @param baselineWindows 0 for a fixed threshold; else the threshold is a share of the mean of
 *     this many trailing windows that were not in breach
 * @param forWindows consecutive windows in breach before an incident opens
 * @param clearWindows consecutive windows clear before an open incident resolves
 * @param message what to tell people; null for a message made from the rule
 * @param noDataForMillis 0 for a threshold rule; else the event time without a row after which
 *     the incident opens (its metric is {@value #SILENCE_SECONDS}, its threshold this in seconds)
 */
public record AlertRule(
    String name,
    String view,
    String metric,
    Condition condition,
    double threshold,
    int baselineWindows,
    Severity severity,
    int forWindows,
    int clearWindows,
    @Nullable String message,
    long noDataForMillis)
    implements Serializable {

  /** The metric of a no-data rule's alerts: how long the key has been silent. */
  public static final String SILENCE_SECONDS = "silence_seconds";

  /** A threshold rule. */
  public AlertRule(
      String name,
      String view,
      String metric,
      Condition condition,
      double threshold,
      int baselineWindows,
      Severity severity,
      int forWindows,
      int clearWindows,
      @Nullable String message) {
    this(name, view, metric, condition, threshold, baselineWindows, severity, forWindows,
        clearWindows, message, 0);
  }

  /** A rule that opens when a key of {@code view} has had no row for {@code noDataForMillis}. */
  public static AlertRule noData(
      String name, String view, long noDataForMillis, Severity severity, @Nullable String message) {
    if (noDataForMillis <= 0) {
      throw new IllegalArgumentException("rule " + name + ": noDataFor must be longer than 0");
    }
    return new AlertRule(name, view, SILENCE_SECONDS, Condition.ABOVE, noDataForMillis / 1000.0,
        0, severity, 1, 1, message, noDataForMillis);
  }

  public boolean isNoData() {
    return noDataForMillis > 0;
  }

  public enum Condition {
    ABOVE,
    BELOW;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public AlertRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(severity, "severity");
    if (forWindows < 1 || clearWindows < 1 || baselineWindows < 0) {
      throw new IllegalArgumentException(
          "rule " + name + ": for and clearAfter must be 1 or more, baseline 0 or more");
    }
  }

  /** Whether {@code value} breaches the rule against {@code limit} (the effective threshold). */
  public boolean breaches(double value, double limit) {
    return condition == Condition.ABOVE ? value > limit : value < limit;
  }
}
