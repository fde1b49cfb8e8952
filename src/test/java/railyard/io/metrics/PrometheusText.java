package railyard.io.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scraped Prometheus text page, read sample by sample: {@code name{labels} value}. */
public final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Map<Map<String, String>, Double>> samples = new LinkedHashMap<>();
  private final String text;

  public PrometheusText(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line.trim());
      if (line.startsWith("#") || !sample.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.computeIfAbsent(sample.group(1), n -> new LinkedHashMap<>())
          .put(labels, Double.parseDouble(sample.group(4)));
    }
  }

  /**
   * The value of the one sample of {@code name} whose labels include {@code labels} (name, value,
   * name, value…); 0 if there is none, as a counter that has not counted yet.
   */
  public double value(String name, String... labels) {
    double found = 0;
    int matches = 0;
    for (Map.Entry<Map<String, String>, Double> sample : samples.getOrDefault(name, Map.of()).entrySet()) {
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= labels[i + 1].equals(sample.getKey().get(labels[i]));
      }
      if (all) {
        found = sample.getValue();
        matches++;
      }
    }
    if (matches > 1) {
      throw new AssertionError(matches + " samples of " + name + " match " + String.join(",", labels));
    }
    return found;
  }

  public boolean has(String name) {
    return samples.containsKey(name);
  }

  @Override
  public String toString() {
    return text;
  }
}
