package railyard.io.collector;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

/** Requests to a running collector, as a client would send them. */
public final class CollectorRequests {
  private CollectorRequests() {}

  /** A POST of {@code events} as NDJSON, one event a line. */
  public static HttpRequest ndjson(URI collector, List<byte[]> events) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] event : events) {
      body.writeBytes(event);
      body.write('\n');
    }
    return HttpRequest.newBuilder(collector.resolve("/v1/events"))
        .header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
  }
}
