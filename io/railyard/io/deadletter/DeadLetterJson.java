package railyard.io.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import railyard.model.DeadLetter;

/** One dead letter as one line of JSON: what failed, why, and the exact original bytes. */
public final class DeadLetterJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterJson() {}

  /**
   * {@code {"stage", "reason", "message", "source", "received_at", "failed_at", "payload_base64",
   * "payload_text"}}; times are epoch milliseconds, {@code payload_base64} the exact bytes and
   * {@code payload_text} their UTF-8 reading (invalid sequences replaced), for people.
   */
  public static String toLine(DeadLetter letter) {
    ObjectNode line = JSON.createObjectNode();
    line.put("stage", letter.stage().label());
    line.put("reason", letter.reason());
    line.put("message", letter.message());
    line.put("source", letter.source());
    line.put("received_at", letter.receivedAt());
    line.put("failed_at", letter.failedAt());
    line.put("payload_base64", Base64.getEncoder().encodeToString(letter.payload()));
    line.put("payload_text", letter.payloadText());
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a dead letter as JSON: " + letter, e);
    }
  }
}
