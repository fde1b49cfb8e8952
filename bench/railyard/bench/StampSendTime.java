package railyard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/**
 * Makes generated events live: each is received now and its event time is now, so a serving row's
 * newest event time is the moment its newest event was sent. Records that are not JSON objects
 * (the workload's malformed share) pass unchanged and become dead letters as usual.
 */
final class StampSendTime extends DoFn<RawEvent, RawEvent> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String eventTimeField;

  StampSendTime(String eventTimeField) {
    this.eventTimeField = eventTimeField;
  }

  @ProcessElement
  public void process(@Element RawEvent event, OutputReceiver<RawEvent> out) {
    Instant now = Instant.now();
    byte[] payload = event.payload();
    try {
      if (JSON.readTree(payload) instanceof ObjectNode object) {
        object.put(eventTimeField, now.toString());
        payload = JSON.writeValueAsBytes(object);
      }
    } catch (IOException malformed) {
      // Sent as it is: the pipeline dead-letters it.
    }
    out.outputWithTimestamp(
        new RawEvent(event.source(), now.getMillis(), payload, event.attributes()), now);
  }

  // Input elements carry the generator's schedule; now may be earlier than it by a little.
  @SuppressWarnings("deprecation")
  @Override
  public org.joda.time.Duration getAllowedTimestampSkew() {
    return org.joda.time.Duration.standardMinutes(1);
  }
}
