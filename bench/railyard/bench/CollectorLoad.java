package railyard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
 * loopback port of this JVM, and {@code --connections} keep-alive HTTP/1.1 connections ({@link
 * LoadConnection}: plain sockets, one thread each) that each post NDJSON batches of {@code
 * --eventsPerRequest} events and wait for every answer before the next, for {@code --seconds}.
 * Only events answered 2xx count. After a graceful stop the lake is read back: it must hold exactly
 * the acknowledged events, each once, or the run fails. Prints one {@code BENCH-RESULT} line:
 * acknowledged events/s after the warm-up, p50/p99 request latency (send to answer), files
 * written. The CPU figures cover both the collector and the load, which share this JVM.
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
    List<LoadConnection> clients = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      clients.add(new LoadConnection(i, collector.uri(), eventsPerRequest, countFrom, end));
    }
    measurement.startTimer();
    clients.forEach(LoadConnection::start);
    for (LoadConnection client : clients) {
      client.join();
    }
    measurement.stopTimer();
    collector.stop();

    Histogram latency = new Histogram(60_000_000L, 3);
    long counted = 0;
    long acknowledged = 0;
    long refused = 0;
    for (LoadConnection client : clients) {
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

  private record LakeCount(long events, long unacknowledged, long duplicates, long files) {}

  /** Reads every file of the lake and checks each event against the requests acknowledged. */
  private static LakeCount readBack(Path lake, List<LoadConnection> clients, int eventsPerRequest)
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
