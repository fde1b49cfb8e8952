package railyard.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Result lines are JSON objects, one per line, so the raw results stay greppable and loadable. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String object(Map<String, Object> fields) {
    try {
      return MAPPER.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String line) {
    try {
      return MAPPER.readValue(line, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a result line: " + line, e);
    }
  }
}
