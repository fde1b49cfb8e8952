package railyard.io.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics as a JSON object whose members keep the view's metric order. Non-finite values are
 * written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}.
 */
final class MetricsJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Double>> TYPE = new TypeReference<>() {};

  private MetricsJson() {}

  static String write(Map<String, Double> metrics) {
    try {
      return MAPPER.writeValueAsString(metrics);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot write metrics " + metrics, e);
    }
  }

  static Map<String, Double> read(String json) {
    try {
      return MAPPER.readValue(json, TYPE);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot read metrics " + json, e);
    }
  }
}
