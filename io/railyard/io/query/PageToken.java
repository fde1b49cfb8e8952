package railyard.io.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import railyard.io.serving.WindowPosition;

/**
 * An opaque page token: where the previous page ended, and a digest of the query it belongs to,
 * so a token given with another query is refused rather than silently read from the wrong place.
 */
final class PageToken {
  static final int MAX_LENGTH = 2_048;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PageToken() {}

  static String encode(String query, WindowPosition position) {
    ArrayNode fields = MAPPER.createArrayNode();
    fields.add(digest(query));
    fields.add(position.key());
    fields.add(position.windowStart());
    fields.add(position.windowEnd());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(fields));
  }

  /** The position a token of {@code query} points at; 400 if it is not one. */
  static WindowPosition decode(String query, String token) {
    if (token.length() > MAX_LENGTH) {
      throw invalid();
    }
    JsonNode fields;
    try {
      fields = MAPPER.readTree(Base64.getUrlDecoder().decode(token));
    } catch (IllegalArgumentException | IOException e) {
      throw invalid();
    }
    if (fields == null
        || !fields.isArray()
        || fields.size() != 4
        || !fields.get(0).isTextual()
        || !fields.get(1).isTextual()
        || !fields.get(2).canConvertToExactIntegral()
        || !fields.get(3).canConvertToExactIntegral()
        || !fields.get(2).canConvertToLong()
        || !fields.get(3).canConvertToLong()) {
      throw invalid();
    }
    if (!fields.get(0).asText().equals(digest(query))) {
      throw ApiException.badRequest(
          "Parameter 'pageToken' belongs to another query (view, keys, from, to or limit differ)");
    }
    return new WindowPosition(
        fields.get(1).asText(), fields.get(2).longValue(), fields.get(3).longValue());
  }

  /** A stable description of a series query, for {@link #encode} and {@link #decode}. */
  static String query(String view, List<String> keys, long from, long to, int limit) {
    ArrayNode fields = MAPPER.createArrayNode();
    fields.add(view);
    keys.forEach(fields::add);
    fields.add(from);
    fields.add(to);
    fields.add(limit);
    return new String(bytes(fields), StandardCharsets.UTF_8);
  }

  private static String digest(String query) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write a page token", e);
    }
  }

  private static ApiException invalid() {
    return ApiException.badRequest("Parameter 'pageToken' is not a token this API gave out");
  }
}
