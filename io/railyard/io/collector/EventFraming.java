package railyard.io.collector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body into its events' bytes, exactly as sent: a single JSON object, a JSON
 * array of objects (each element's bytes sliced from the body by the parser's token offsets, never
 * re-serialized), or NDJSON (one object per line; blank lines are skipped; a {@code \r} before the
 * {@code \n} is not part of the event). The whole body is checked before anything is returned, so
 * a request is accepted or refused as a whole.
 */
final class EventFraming {
  enum Kind {
    JSON,
    NDJSON
  }

  private static final JsonFactory JSON = new JsonFactory();

  private EventFraming() {}

  static List<byte[]> split(byte[] body, Kind kind) throws FramingException {
    List<byte[]> events = kind == Kind.JSON ? splitJson(body) : splitNdjson(body);
    if (events.isEmpty()) {
      throw new FramingException("no events: the body is empty");
    }
    return events;
  }

  /** The framing of a body sent without a Content-Type: an array if it starts with '['. */
  static Kind sniff(byte[] body) {
    for (byte b : body) {
      if (!isWhitespace(b)) {
        return b == '[' ? Kind.JSON : Kind.NDJSON;
      }
    }
    return Kind.NDJSON;
  }

  private static List<byte[]> splitJson(byte[] body) throws FramingException {
    List<byte[]> events = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return events;
      }
      if (first == JsonToken.START_OBJECT) {
        events.add(objectBytes(body, parser));
      } else if (first == JsonToken.START_ARRAY) {
        int index = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          if (t != JsonToken.START_OBJECT) {
            throw new FramingException(
                "array element " + index + " is not a JSON object (found " + describe(t) + ")");
          }
          events.add(objectBytes(body, parser));
          index++;
        }
      } else {
        throw new FramingException(
            "the body must be a JSON object or an array of objects (found " + describe(first) + ")");
      }
      if (parser.nextToken() != null) {
        throw new FramingException(
            "trailing content after the JSON value at byte "
                + parser.currentTokenLocation().getByteOffset()
                + " (several objects? send them as an array or as application/x-ndjson)");
      }
    } catch (JsonProcessingException e) {
      throw new FramingException("not valid JSON: " + e.getOriginalMessage() + at(e));
    } catch (IOException e) {
      throw new IllegalStateException("reading from memory cannot fail", e);
    }
    return events;
  }

  private static List<byte[]> splitNdjson(byte[] body) throws FramingException {
    List<byte[]> events = new ArrayList<>();
    int line = 0;
    int start = 0;
    while (start < body.length) {
      int newline = indexOf(body, (byte) '\n', start);
      int end = newline < 0 ? body.length : newline;
      line++;
      int contentEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
      byte[] lineBytes = Arrays.copyOfRange(body, start, contentEnd);
      if (!isBlank(lineBytes)) {
        checkOneObject(lineBytes, line);
        events.add(lineBytes);
      }
      start = end + 1;
    }
    return events;
  }

  private static void checkOneObject(byte[] line, int lineNumber) throws FramingException {
    try (JsonParser parser = JSON.createParser(line)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new FramingException(
            "line " + lineNumber + " is not a JSON object (found " + describe(first) + ")");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new FramingException(
            "line " + lineNumber + " has content after its JSON object (one object per line)");
      }
    } catch (JsonProcessingException e) {
      throw new FramingException(
          "line " + lineNumber + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalStateException("reading from memory cannot fail", e);
    }
  }

  /** With the parser on START_OBJECT: the object's bytes, from its '{' to its '}'. */
  private static byte[] objectBytes(byte[] body, JsonParser parser) throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    int end = (int) parser.currentLocation().getByteOffset();
    return Arrays.copyOfRange(body, start, end);
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  private static String at(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (!isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }
}
