package railyard.pipelines;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * A plain-Java model of the views: windows by arithmetic, sessions by sorting and merging, metrics
 * by loops, a sum as the true sum of its values rounded once. Its answer is a map from
 * "view|key|start|end" to the final row's count and metrics.
 */
final class ModelViews {
  record Expected(long events, Map<String, Double> metrics) {}

  private ModelViews() {}

  static Map<String, Expected> compute(List<ViewSpec> views, List<ModelRecords.Valid> events) {
    Map<String, Expected> all = new TreeMap<>();
    for (ViewSpec view : views) {
      Map<String, List<ModelRecords.Valid>> byKey =
          events.stream().collect(Collectors.groupingBy(e -> key(view, e)));
      byKey.forEach(
          (key, keyed) -> {
            for (Map.Entry<long[], List<ModelRecords.Valid>> window : windows(view.window(), keyed).entrySet()) {
              long[] bounds = window.getKey();
              all.put(
                  view.name() + "|" + key + "|" + bounds[0] + "|" + bounds[1],
                  metrics(view, window.getValue()));
            }
          });
    }
    return all;
  }

  private static String key(ViewSpec view, ModelRecords.Valid event) {
    List<String> parts = new ArrayList<>();
    for (String field : view.groupBy()) {
      Object value = event.values().get(field);
      String text = value == null ? "" : value.toString();
      parts.add(text.replace("\\", "\\\\").replace("|", "\\|"));
    }
    return String.join("|", parts);
  }

  /** Each window's [start, end) with its events; arrays are keys by identity, one per window. */
  private static Map<long[], List<ModelRecords.Valid>> windows(
      WindowSpec window, List<ModelRecords.Valid> events) {
    Map<long[], List<ModelRecords.Valid>> members = new LinkedHashMap<>();
    switch (window.kind()) {
      case FIXED, SLIDING -> {
        long size = window.size().getMillis();
        long period = window.kind() == WindowSpec.Kind.FIXED ? size : window.period().getMillis();
        Map<Long, long[]> byStart = new HashMap<>();
        for (ModelRecords.Valid e : events) {
          long last = Math.floorDiv(e.eventTime(), period) * period;
          for (long start = last; start > e.eventTime() - size; start -= period) {
            long[] b = byStart.computeIfAbsent(start, s -> new long[] {s, s + size});
            members.computeIfAbsent(b, k -> new ArrayList<>()).add(e);
          }
        }
      }
      case SESSION -> {
        long gap = window.gap().getMillis();
        List<ModelRecords.Valid> sorted = new ArrayList<>(events);
        sorted.sort((a, b) -> Long.compare(a.eventTime(), b.eventTime()));
        long[] current = null;
        List<ModelRecords.Valid> session = null;
        for (ModelRecords.Valid e : sorted) {
          if (current == null || e.eventTime() >= current[1]) {
            current = new long[] {e.eventTime(), e.eventTime() + gap};
            session = new ArrayList<>();
            members.put(current, session);
          }
          current[1] = Math.max(current[1], e.eventTime() + gap);
          session.add(e);
        }
      }
    }
    return members;
  }

  private static Expected metrics(ViewSpec view, List<ModelRecords.Valid> events) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (MetricSpec metric : view.metrics()) {
      List<Object> values =
          metric.field() == null
              ? List.of()
              : events.stream().map(e -> e.values().get(metric.field())).filter(v -> v != null).toList();
      List<Double> numbers =
          values.stream().filter(v -> v instanceof Number).map(v -> ((Number) v).doubleValue()).toList();
      switch (metric.op()) {
        case COUNT -> metrics.put(metric.name(), (double) events.size());
        case SUM -> metrics.put(metric.name(), exactSum(numbers));
        case MIN -> numbers.stream().mapToDouble(d -> d).min().ifPresent(v -> metrics.put(metric.name(), v));
        case MAX -> numbers.stream().mapToDouble(d -> d).max().ifPresent(v -> metrics.put(metric.name(), v));
        case MEAN -> {
          if (!numbers.isEmpty()) {
            metrics.put(metric.name(), exactSum(numbers) / numbers.size());
          }
        }
        case DISTINCT -> {
          Set<String> distinct = new HashSet<>();
          values.forEach(v -> distinct.add(v.toString()));
          metrics.put(metric.name(), (double) distinct.size());
        }
      }
    }
    return new Expected(events.size(), metrics);
  }

  /** The true sum of the values, rounded once to the nearest double: what a view's sum must be. */
  private static double exactSum(List<Double> values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double value : values) {
      sum = sum.add(new BigDecimal(value));
    }
    return sum.doubleValue();
  }
}
