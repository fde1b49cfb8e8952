package railyard.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One keep-alive HTTP/1.1 connection of {@link CollectorLoad}, on a plain socket: it posts NDJSON
 * batches whose event ids name the connection, the request and the index, one at a time, until the
 * end; it keeps which requests were answered 2xx and the latency of those sent after the warm-up.
 */
final class LoadConnection extends Thread {
  final int id;
  final BitSet acknowledged = new BitSet();
  final Histogram latencyMicros = new Histogram(60_000_000L, 3);
  long countedEvents;
  long refused;
  Exception failure;
  private final URI uri;
  private final int eventsPerRequest;
  private final long countFrom;
  private final long end;

  LoadConnection(int id, URI uri, int eventsPerRequest, long countFrom, long end) {
    super("load-" + id);
    this.id = id;
    this.uri = uri;
    this.eventsPerRequest = eventsPerRequest;
    this.countFrom = countFrom;
    this.end = end;
  }

  @Override
  public void run() {
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
      socket.setSoTimeout(60_000);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 << 10);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 << 10);
      String head = "POST /v1/events HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
          + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: ";
      for (int request = 0; System.nanoTime() < end; request++) {
        byte[] body = batch(id, request, eventsPerRequest);
        long sent = System.nanoTime();
        out.write((head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        int status = readAnswer(in);
        long answered = System.nanoTime();
        if (status / 100 != 2) {
          refused++;
          continue;
        }
        acknowledged.set(request);
        if (sent >= countFrom) {
          latencyMicros.recordValue((answered - sent) / 1000);
          if (answered <= end) {
            countedEvents += eventsPerRequest;
          }
        }
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  /** A batch of NDJSON events of about 300 bytes each, whose ids say connection, request, index. */
  static byte[] batch(int connection, int request, int events) {
    StringBuilder body = new StringBuilder(events * 320);
    for (int i = 0; i < events; i++) {
      body.append("{\"event_id\":\"").append(eventId(connection, request, i))
          .append("\",\"user_id\":\"user-").append((request * 31 + i) % 1000)
          .append("\",\"session_id\":\"s-").append(connection).append('-').append(request % 50)
          .append("\",\"type\":\"page_view\",\"page\":\"/products/category/").append(i % 100)
          .append("/item/").append(request % 10_000)
          .append("\",\"referrer\":\"https://search.example/?q=item\",\"ts\":\"2026-01-01T00:00:00.000Z\"")
          .append(",\"amount\":12.50,\"currency\":\"EUR\",\"country\":\"de\",\"device\":\"mobile\"}\n");
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String eventId(int connection, int request, int index) {
    return "c" + connection + "-" + request + "-" + index;
  }

  /** Reads one HTTP/1.1 answer (Content-Length or chunked body) and returns its status. */
  static int readAnswer(InputStream in) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = 0;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        throw new IOException("the collector closed the connection (status " + status + ")");
      }
    }
    if (chunked) {
      for (long size = Long.parseLong(line(in).split(";")[0].strip(), 16); size > 0;
          size = Long.parseLong(line(in).split(";")[0].strip(), 16)) {
        skip(in, size);
        line(in);
      }
      line(in);
    } else {
      skip(in, length);
    }
    return status;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed mid-answer");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    in.skipNBytes(bytes);
  }
}
