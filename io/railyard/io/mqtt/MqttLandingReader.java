package railyard.io.mqtt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.model.RawEvent;
import railyard.transforms.RailyardMetrics;

/**
 * Passes on, in landing order, the batches its {@link MqttLander} landed. It starts with what was
 * landed but not yet passed on by the checkpoint it is restored from, or, started afresh, by the
 * last finalized checkpoint (the client's state file): those messages were acknowledged, so the
 * broker will not send them again, and they are read back from the lake. Each event's timestamp is
 * its receipt time; the watermark stays at the oldest one not yet passed on.
 */
final class MqttLandingReader extends UnboundedSource.UnboundedReader<RawEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(MqttLandingReader.class);

  static final String NAMESPACE = "railyard.mqtt";
  /** How long {@link #advance} waits for a batch before it says there is none yet. */
  private static final long WAIT_MILLIS = 20;
  static final String LANDED = "landed";
  static final String REDELIVERED_COPIES = "redeliveredCopies";
  static final String PASSED_ON_FROM_LAKE = "passedOnFromLake";
  static final String CONNECTIONS_LOST = "connectionsLost";
  static final String SESSIONS_MISSING = "sessionsMissing";

  private final MqttLandingSource source;
  private final @Nullable MqttCheckpoint restoredFrom;
  private final MqttLakeFiles files;
  /**
   * Landed batches not yet taken: first those landed before this reader started (after what was
   * passed on), then what the lander adds.
   */
  private final LinkedBlockingDeque<MqttLander.Batch> batches = new LinkedBlockingDeque<>();
  private final Counter landed = Metrics.counter(NAMESPACE, LANDED);
  private final Counter lakeRecords = RailyardMetrics.counter(RailyardMetrics.LAKE_RECORDS);
  private final Counter redeliveredCopies = Metrics.counter(NAMESPACE, REDELIVERED_COPIES);
  private final Counter passedOnFromLake = Metrics.counter(NAMESPACE, PASSED_ON_FROM_LAKE);
  private final Counter connectionsLost = Metrics.counter(NAMESPACE, CONNECTIONS_LOST);
  private final Counter sessionsMissing = Metrics.counter(NAMESPACE, SESSIONS_MISSING);
  private @Nullable MqttLander lander;
  private MqttLander.@Nullable Batch batch;
  private List<RawEvent> events = List.of();
  /** Events of {@link #batch} passed on, counting the current one. */
  private int emitted;
  private long nextSeq;
  private long lastWatermark = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();

  MqttLandingReader(MqttLandingSource source, @Nullable MqttCheckpoint restoredFrom) {
    this.source = source;
    this.restoredFrom = restoredFrom;
    this.files = new MqttLakeFiles(source.rawDirectory(), source.connection().clientId());
  }

  @Override
  public boolean start() throws IOException {
    MqttConnection connection = source.connection();
    MqttLakeFiles.State state = files.readState();
    long from;
    int skip;
    long since;
    if (restoredFrom != null) {
      from = restoredFrom.seq();
      skip = restoredFrom.emitted();
      since = restoredFrom.sinceMillis();
    } else if (state != null) {
      from = state.seq();
      skip = state.emitted();
      since = state.sinceMillis();
    } else {
      from = 0;
      skip = 0;
      since = System.currentTimeMillis();
    }
    boolean topicsChanged = state == null || !state.topics().equals(connection.topics());
    if (topicsChanged) {
      files.writeState(
          new MqttLakeFiles.State(
              state == null ? from : state.seq(),
              state == null ? 0 : state.emitted(),
              state == null ? since : state.sinceMillis(),
              connection.topics()));
    }
    // A lander still running in this JVM lands on into this reader from batch `upTo` on; what it
    // landed before that is in the lake, as after a restart.
    lander = MqttLander.takeOver(connection, source.rawDirectory());
    MqttLander.HandOver handOver = lander == null ? null : lander.handOver(batches);
    if (lander == null) {
      long recovered = files.publishLeftOpen(since);
      if (recovered > 0) {
        LOG.info(
            "MQTT client {}: published {} acknowledged message(s) a stopped run left in an open"
                + " lake file",
            connection.clientId(),
            recovered);
      }
    }
    long upTo = handOver == null ? Long.MAX_VALUE : handOver.nextSeq();
    java.util.Map<Long, MqttLander.Batch> inMemory = new java.util.HashMap<>();
    if (handOver != null) {
      handOver.untaken().forEach(untaken -> inMemory.put(untaken.seq(), untaken));
    }
    List<MqttLakeFiles.BatchFile> listed = files.listSince(since);
    nextSeq = from;
    int fromLake = 0;
    List<MqttLander.Batch> earlier = new ArrayList<>();
    for (MqttLakeFiles.BatchFile file : listed) {
      if (file.seq() >= upTo) {
        continue;
      }
      nextSeq = Math.max(nextSeq, file.seq() + 1);
      if (file.seq() >= from) {
        int skipped = file.seq() == from ? skip : 0;
        MqttLander.Batch kept = inMemory.remove(file.seq());
        if (kept != null && kept.events() != null) {
          earlier.add(
              new MqttLander.Batch(
                  kept.seq(), kept.receivedAt(), kept.path(), kept.events(), skipped, kept.fromLake()));
        } else {
          earlier.add(
              new MqttLander.Batch(file.seq(), file.receivedAt(), file.path(), null, skipped, true));
          fromLake++;
        }
      }
    }
    // Landed, then passed on by the previous reader after its checkpoint: no longer in memory.
    inMemory.values().forEach(dropped -> lander.taken(dropped.events() == null ? 0 : dropped.events().size()));
    if (lander == null) {
      lander = new MqttLander(connection, files, nextSeq, recentlyLanded(listed), topicsChanged, batches);
    } else {
      nextSeq = upTo;
    }
    // Ahead of what the lander adds meanwhile, and where a reader that takes over finds them.
    for (int i = earlier.size() - 1; i >= 0; i--) {
      batches.offerFirst(earlier.get(i));
    }
    if (fromLake > 0) {
      LOG.info(
          "MQTT client {}: passing on from the raw lake {} batch(es) landed after the {}"
              + " checkpoint (acknowledged already, so the broker will not send them again)",
          connection.clientId(),
          fromLake,
          restoredFrom != null ? "restored" : "last finalized");
    }
    return advance();
  }

  /** The events of the newest listed batches, up to {@link MqttLander#RECENT}. */
  private static List<RawEvent> recentlyLanded(List<MqttLakeFiles.BatchFile> listed)
      throws IOException {
    List<RawEvent> recent = new ArrayList<>();
    for (int i = listed.size() - 1; i >= 0 && recent.size() < MqttLander.RECENT; i--) {
      recent.addAll(0, MqttLakeFiles.read(listed.get(i).path()));
    }
    return recent;
  }

  @Override
  public boolean advance() throws IOException {
    if (lander != null) {
      lander.polled();
    }
    report();
    if (batch != null && emitted < events.size()) {
      emitted++;
      return true;
    }
    while (true) {
      MqttLander.Batch next = batches.poll();
      if (next == null) {
        failIfLandingStopped();
        // A short wait, so that a runner polling an idle reader does not spin.
        try {
          next = batches.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        if (next == null) {
          return false;
        }
      }
      List<RawEvent> loaded;
      if (next.events() != null) {
        loaded = next.events();
        lander.taken(loaded.size());
      } else {
        loaded = MqttLakeFiles.read(next.path());
        if (next.fromLake()) {
          passedOnFromLake.inc(loaded.size() - next.skip());
        }
      }
      batch = next;
      events = loaded;
      emitted = next.skip();
      if (emitted < events.size()) {
        emitted++;
        return true;
      }
    }
  }

  private MqttLander.@Nullable Batch peekNext() {
    return batches.peek();
  }

  private void failIfLandingStopped() throws IOException {
    Exception failure = lander == null ? null : lander.failure();
    if (failure != null) {
      throw new IOException("MQTT: landing in the raw lake failed", failure);
    }
    if (lander != null && lander.stopped()) {
      throw new IOException(
          "MQTT: the client stopped after no reader polled it for "
              + MqttLander.ABANDONED_MILLIS / 1000 + " s; the reader is restored from its checkpoint");
    }
  }

  /** Adds what the landing thread counted since the last report to the reader's counters. */
  private void report() {
    if (lander == null) {
      return;
    }
    lander.report(
        (name, count) -> {
          if (count == 0) {
            return;
          }
          switch (name) {
            case "landed" -> {
              landed.inc(count);
              lakeRecords.inc(count);
            }
            case "redeliveredCopies" -> redeliveredCopies.inc(count);
            case "connectionsLost" -> connectionsLost.inc(count);
            case "sessionsMissing" -> sessionsMissing.inc(count);
            default -> throw new IllegalStateException(name);
          }
        });
  }

  @Override
  public RawEvent getCurrent() {
    if (batch == null || emitted == 0) {
      throw new NoSuchElementException();
    }
    return events.get(emitted - 1);
  }

  @Override
  public Instant getCurrentTimestamp() {
    return new Instant(getCurrent().receivedAt());
  }

  @Override
  public Instant getWatermark() {
    long now = System.currentTimeMillis();
    long oldest = Math.min(now, lander == null ? now : lander.landingSince());
    MqttLander.Batch waiting = peekNext();
    if (waiting != null) {
      oldest = Math.min(oldest, waiting.receivedAt());
    }
    if (batch != null && emitted < events.size()) {
      oldest = Math.min(oldest, batch.receivedAt());
    }
    lastWatermark = Math.max(lastWatermark, oldest);
    return new Instant(lastWatermark);
  }

  @Override
  public UnboundedSource.CheckpointMark getCheckpointMark() {
    long seq;
    int passed;
    long since;
    if (batch != null && emitted < events.size()) {
      seq = batch.seq();
      passed = emitted;
      since = batch.receivedAt();
    } else {
      MqttLander.Batch waiting = peekNext();
      seq = waiting != null ? waiting.seq() : batch != null ? batch.seq() + 1 : firstSeq();
      passed = waiting != null ? waiting.skip() : 0;
      since = waiting != null ? waiting.receivedAt() : System.currentTimeMillis();
    }
    MqttConnection connection = source.connection();
    return new MqttCheckpoint(
        source.rawDirectory(), connection.clientId(), connection.topics(), seq, passed, since);
  }

  /** Nothing landed yet: the first batch the lander will land. */
  private long firstSeq() {
    return nextSeq;
  }

  @Override
  public MqttLandingSource getCurrentSource() {
    return source;
  }

  @Override
  public void close() {
    if (lander != null) {
      lander.release(
          batch != null && emitted < events.size()
              ? new MqttLander.Batch(
                  batch.seq(), batch.receivedAt(), batch.path(), events, emitted, batch.fromLake())
              : null);
    }
  }
}
