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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import railyard.io.collector.Collector;
import railyard.io.collector.CollectorConfig;
import railyard.io.lake.LakeRecords;
import railyard.model.RawEvent;

/**
 * The HTTP collector under load: the collector with its default settings (lake sink) on a free
 * loopback port of this JVM, and {@code --connections} keep-alive HTTP/1.1 connections (plain
 * sockets, one thread each) that each post NDJSON batches of {@code --eventsPerRequest} events and
 * wait for every answer before the next, for {@code --seconds}. Only events answered 2xx count.
 * After a graceful stop the lake is read back: it must hold exactly the acknowledged events, each
 * once, or the run fails. Prints one {@code BENCH-RESULT} line: acknowledged events/s after the
 * warm-up, p50/p99 request latency (send to answer), files written. The CPU figures cover both the
 * collector and the load, which share this JVM.
 */
public final class CollectorLoad {
  private static final String PIPELINE = "bench";

  private CollectorLoad() {}

  public static void main(String[] args) throws Exception {
    Measurement measurement = Measurement.begin();
    RefArgs options =
        RefArgs.parse(args, "seconds", "warmupSeconds", "connections", "eventsPerRequest", "collectorFlags");
    Path lake = Path.of(options.get("lake", "bench-out/collector/lake"));
    int seconds = options.getInt("seconds", 20);
    int warmupSeconds = options.getInt("warmupSeconds", 3);
    int connections = options.getInt("connections", 8);
    int eventsPerRequest = options.getInt("eventsPerRequest", 100);
    deleteTree(lake);

    List<String> flags = new ArrayList<>(List.of("--port=0", "--lake=" + lake, "--pipeline=" + PIPELINE));
    String extra = options.get("collectorFlags", "");
    if (!extra.isBlank()) {
      flags.addAll(List.of(extra.split(",")));
    }
    Collector collector = Collector.start(CollectorConfig.defaults().with(flags.toArray(new String[0])));
    long start = System.nanoTime();
    long countFrom = start + warmupSeconds * 1_000_000_000L;
    long end = start + seconds * 1_000_000_000L;
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      clients.add(new Client(i, collector.uri(), eventsPerRequest, countFrom, end));
    }
    measurement.startTimer();
    clients.forEach(Client::start);
    for (Client client : clients) {
      client.join();
    }
    measurement.stopTimer();
    collector.stop();

    Histogram latency = new Histogram(60_000_000L, 3);
    long counted = 0;
    long acknowledged = 0;
    long refused = 0;
    for (Client client : clients) {
      if (client.failure != null) {
        throw new IllegalStateException("connection " + client.id + " failed", client.failure);
      }
      latency.add(client.latencyMicros);
      counted += client.countedEvents;
      acknowledged += (long) client.acknowledged.cardinality() * eventsPerRequest;
      refused += client.refused;
    }
    LakeCount found = readBack(lake, clients, eventsPerRequest);
    if (found.events != acknowledged || found.unacknowledged != 0 || found.duplicates != 0) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "the lake does not hold exactly the acknowledged events: %d acknowledged, %d in the lake"
              + " (%d not acknowledged, %d duplicates)",
          acknowledged, found.events, found.unacknowledged, found.duplicates));
    }
    double countedSeconds = (end - countFrom) / 1e9;
    measurement
        .put("case", options.caseName())
        .put("connections", connections)
        .put("eventsPerRequest", eventsPerRequest)
        .put("seconds", seconds)
        .put("warmupSeconds", warmupSeconds)
        .put("requestsTimed", latency.getTotalCount())
        .put("requestsRefused", refused)
        .put("eventsAcknowledgedInAll", acknowledged)
        .put("eventsInLake", found.events)
        .put("lakeFiles", found.files)
        .put("ackedEventsPerSecond", Math.round(counted / countedSeconds))
        .put("p50Millis", latency.getValueAtPercentile(50) / 1000.0)
        .put("p99Millis", latency.getValueAtPercentile(99) / 1000.0)
        .put("maxMillis", latency.getMaxValue() / 1000.0);
    // The report's events/s is over the counted window, not the whole run with its warm-up.
    System.out.println(measurement.resultLine(counted).replaceFirst(
        "\"eventsPerWallSecond\":\\d+", "\"eventsPerWallSecond\":" + Math.round(counted / countedSeconds)));
    System.exit(0);
  }

  /** One keep-alive connection posting batches, one at a time, until the end. */
  private static final class Client extends Thread {
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

    Client(int id, URI uri, int eventsPerRequest, long countFrom, long end) {
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

  private record LakeCount(long events, long unacknowledged, long duplicates, long files) {}

  /** Reads every file of the lake and checks each event against the requests acknowledged. */
  private static LakeCount readBack(Path lake, List<Client> clients, int eventsPerRequest)
      throws IOException {
    List<BitSet> seen = new ArrayList<>();
    clients.forEach(c -> seen.add(new BitSet()));
    long events = 0;
    long unacknowledged = 0;
    long duplicates = 0;
    long files = 0;
    Path raw = Path.of(LakeRecords.rawDirectory(lake.toString(), PIPELINE));
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(raw)) {
      paths = walk.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList();
    }
    for (Path file : paths) {
      files++;
      try (DataFileReader<GenericRecord> reader =
          new DataFileReader<>(file.toFile(), new GenericDatumReader<>(LakeRecords.SCHEMA))) {
        for (GenericRecord record : reader) {
          RawEvent event = LakeRecords.fromAvro(record);
          events++;
          String payload = new String(event.payload(), StandardCharsets.UTF_8);
          int from = payload.indexOf("\"event_id\":\"c") + 13;
          String[] id = payload.substring(from, payload.indexOf('"', from)).split("-");
          int connection = Integer.parseInt(id[0]);
          int request = Integer.parseInt(id[1]);
          int bit = request * eventsPerRequest + Integer.parseInt(id[2]);
          if (!clients.get(connection).acknowledged.get(request)) {
            unacknowledged++;
          } else if (seen.get(connection).get(bit)) {
            duplicates++;
          }
          seen.get(connection).set(bit);
        }
      }
    }
    return new LakeCount(events, unacknowledged, duplicates, files);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
