package railyard.io.mqtt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.io.files.Partitions;
import railyard.model.RawEvent;

/**
 * The MQTT 5 client and its landing thread: messages arrive (QoS 1, a session that outlives the
 * connection), are appended to the open lake file of the current batch and flushed, and only then
 * acknowledged.
 *
 * <p>The client declares a Receive Maximum of {@link #RECEIVE_MAXIMUM}: that many messages may be
 * unacknowledged with it at once. Without it a broker applies its own in-flight limit (20 on a
 * stock Mosquitto) and queues only {@code max_queued_messages} (1,000) behind those, dropping the
 * rest, so a burst faster than one client's acknowledgements lost messages whatever the client did
 * (without it, this client received 13,782 of a 20,000-message burst from {@code mosquitto_pub}). Holding many unacknowledged is safe here: each is acknowledged only
 * once it is in the lake, and the broker sends again whatever was not. A batch is published (renamed to its lake name, then passed on) after {@link
 * #PUBLISH_EVERY_MILLIS}; one left open by a killed process is published at the next start. On a
 * lake where an unclosed file is not durable (an object store, HDFS) each append is a batch.
 *
 * <p>A message is identified by its topic, its packet id and its payload: a copy the broker sends
 * again (flagged duplicate, after a reconnect) of one that landed but whose acknowledgement did not
 * reach it matches one of the last {@link #RECENT} landed, and is acknowledged without landing
 * again. Mosquitto numbers a client's messages in turn, so a packet id returns only after 65,535
 * others, far outside that window.
 */
final class MqttLander implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttLander.class);

  static final String TOPIC = "mqtt.topic";
  static final String MESSAGE_ID = "mqtt.messageId";
  /** The most unacknowledged messages the broker may send (MQTT 5's largest Receive Maximum). */
  static final int RECEIVE_MAXIMUM = 65_535;
  /** A session the broker keeps while the client is away, however long (MQTT 5: "never expires"). */
  private static final long SESSION_NEVER_EXPIRES = 0xFFFF_FFFFL;
  /** Identities of the newest landed messages kept to recognise a redelivered copy. */
  static final int RECENT = 10_000;
  /** How long a batch gathers messages before it is published to the lake's readers. */
  static final long PUBLISH_EVERY_MILLIS = 1_000;
  /** The most messages one batch (one lake file) holds. */
  static final int PUBLISH_AT_EVENTS = 50_000;
  /** Landed events kept in memory until passed on; past that, they are read back from the lake. */
  private static final long IN_MEMORY_EVENTS = 200_000;

  /**
   * A landed batch: its number, receipt time and file; its events, or null to read them back; how
   * many of them were passed on already; whether a restarted or restored reader found it in the
   * lake (landed after the checkpoint it resumes from).
   */
  record Batch(
      long seq,
      long receivedAt,
      String path,
      @Nullable List<RawEvent> events,
      int skip,
      boolean fromLake) {}

  /** What the reader reports as counters: the landing thread cannot update Beam's metrics. */
  static final class Tally {
    final AtomicLong landed = new AtomicLong();
    final AtomicLong redeliveredCopies = new AtomicLong();
    final AtomicLong connectionsLost = new AtomicLong();
    final AtomicLong sessionsMissing = new AtomicLong();
  }

  /**
   * How long a lander outlives the reader that closed it: a runner that closes a reader and at once
   * restores another from its checkpoint (the Direct runner does, often) finds it still connected
   * and landing, instead of leaving the broker's queue to fill while a new client connects.
   */
  static final long LINGER_MILLIS = 10_000;

  /** How long a lander that cannot reach its broker waits for a reader to poll it. */
  static final long ABANDONED_MILLIS = 60_000;

  /** The landers of this JVM, by broker and client id: a second client would displace the first. */
  private static final Map<String, MqttLander> LIVE = new java.util.HashMap<>();

  private record Identity(String topic, int id, ByteBuffer digest) {}

  private final MqttConnection connection;
  private final MqttLakeFiles files;
  private Queue<Batch> landed;
  private final Tally tally = new Tally();
  /** What readers reported of {@link #tally} so far. */
  final Tally reported = new Tally();
  /** Guards the open batch: the callback thread appends, the landing thread publishes. */
  private final Object landLock = new Object();
  private final AtomicLong inMemory = new AtomicLong();
  private final Map<Identity, Boolean> recent =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identity, Boolean> eldest) {
          return size() > RECENT;
        }
      };
  private boolean subscribeAlways;
  private final MqttClient client;
  private final Thread thread;
  private final Object stampLock = new Object();
  private long nextSeq;
  private long lastStamp;
  private volatile long landingSince = Long.MAX_VALUE;
  /** The batch being landed: acknowledged messages, appended to a file not yet published. */
  private MqttLakeFiles.@Nullable OpenBatch open;
  private final boolean appendable;
  private volatile @Nullable Exception failure;
  private volatile boolean closing;
  private volatile long lastPolled = System.currentTimeMillis();
  /** The batch the last reader was passing on when it let go, for the next reader. */
  private @Nullable Batch givenBack;
  /** When the last reader let go of it; 0 while a reader holds it. */
  private long releasedAt;

  /**
   * Connects (a refused connection throws here), then lands on its own thread from batch {@code
   * nextSeq} on. {@code subscribeAlways}: subscribe even when the broker kept the session (the
   * topic filters changed since it subscribed).
   */
  MqttLander(
      MqttConnection connection,
      MqttLakeFiles files,
      long nextSeq,
      List<RawEvent> recentlyLanded,
      boolean subscribeAlways,
      Queue<Batch> landed)
      throws IOException {
    this.connection = connection;
    this.files = files;
    this.nextSeq = nextSeq;
    this.subscribeAlways = subscribeAlways;
    this.landed = landed;
    this.appendable = files.appendable();
    for (RawEvent event : recentlyLanded) {
      String id = event.attributes().get(MESSAGE_ID);
      if (id != null) {
        recent.put(identity(event.attributes().get(TOPIC), Integer.parseInt(id), event.payload()), true);
      }
    }
    try {
      client = new MqttClient(pahoUri(connection.serverUri()), connection.clientId(), new MemoryPersistence());
      client.setManualAcks(true);
      client.setCallback(new Callback());
      connect(true);
    } catch (MqttException e) {
      throw new IOException(
          connection.serverUri() + " refused MQTT client '" + connection.clientId() + "': "
              + e.getMessage() + " (reason code " + e.getReasonCode() + ")",
          e);
    }
    thread = new Thread(this::run, "mqtt-lander-" + connection.clientId());
    thread.setDaemon(true);
    thread.start();
    register();
  }

  private static String key(MqttConnection connection) {
    return connection.serverUri() + " " + connection.clientId();
  }

  /**
   * The lander of this JVM for {@code connection}, if one still runs for the same connection and
   * lake, taken over by a new reader; any other lander of the same client id is closed.
   */
  static @Nullable MqttLander takeOver(MqttConnection connection, String rawDirectory) {
    MqttLander previous;
    synchronized (LIVE) {
      previous = LIVE.remove(key(connection));
      if (previous != null
          && previous.connection.equals(connection)
          && previous.files.rawDirectory().equals(rawDirectory)
          && previous.failure == null
          && !previous.closing) {
        previous.releasedAt = 0;
        LIVE.put(key(connection), previous);
        return previous;
      }
    }
    if (previous != null) {
      previous.close();
    }
    return null;
  }

  private void register() {
    synchronized (LIVE) {
      LIVE.put(key(connection), this);
    }
  }

  /**
   * Lands into {@code queue} from now on. Returns the number of the next batch to land (every batch
   * before it is in the lake already, none after it goes anywhere but {@code queue}) and the
   * batches the previous reader had not taken, their events still in memory.
   */
  HandOver handOver(Queue<Batch> queue) {
    synchronized (stampLock) {
      List<Batch> untaken = new ArrayList<>();
      if (givenBack != null) {
        untaken.add(givenBack);
        givenBack = null;
      }
      untaken.addAll(landed);
      landed = queue;
      return new HandOver(nextSeq, untaken);
    }
  }

  record HandOver(long nextSeq, List<Batch> untaken) {}

  /**
   * The reader let go: closes after {@link #LINGER_MILLIS} unless another reader takes over.
   * {@code current}, the batch it was passing on (with its events), goes to the next reader, which
   * need not read it back from the lake (a runner that restores readers often would otherwise read
   * a file back at every restore).
   */
  void release(@Nullable Batch current) {
    synchronized (stampLock) {
      if (current != null && current.events() != null) {
        givenBack = current;
        inMemory.addAndGet(current.events().size());
      }
    }
    synchronized (LIVE) {
      releasedAt = System.currentTimeMillis();
    }
  }

  private boolean lingeredEnough() {
    synchronized (LIVE) {
      if (releasedAt != 0 && System.currentTimeMillis() - releasedAt > LINGER_MILLIS) {
        LIVE.remove(key(connection), this);
        return true;
      }
      return false;
    }
  }

  /** Counts landed, redelivered and lost since the last report into {@code report}. */
  void report(java.util.function.BiConsumer<String, Long> report) {
    synchronized (reported) {
      report.accept("landed", delta(tally.landed, reported.landed));
      report.accept("redeliveredCopies", delta(tally.redeliveredCopies, reported.redeliveredCopies));
      report.accept("connectionsLost", delta(tally.connectionsLost, reported.connectionsLost));
      report.accept("sessionsMissing", delta(tally.sessionsMissing, reported.sessionsMissing));
    }
  }

  private static long delta(AtomicLong now, AtomicLong before) {
    long value = now.get();
    return value - before.getAndSet(value);
  }

  /** The oldest receipt time a batch being landed now will carry, or MAX_VALUE when none is. */
  long landingSince() {
    synchronized (stampLock) {
      return landingSince;
    }
  }

  /** A reader asked for what was landed: it is alive. */
  void polled() {
    lastPolled = System.currentTimeMillis();
  }

  /** Whether it stopped landing for good (closed, or given up as abandoned). */
  boolean stopped() {
    return closing;
  }

  /** Why landing stopped, if it did: the reader fails with it. */
  @Nullable Exception failure() {
    return failure;
  }

  private void connect(boolean first) throws MqttException {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(SESSION_NEVER_EXPIRES);
    options.setReceiveMaximum(RECEIVE_MAXIMUM);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout(10);
    if (connection.username() != null) {
      options.setUserName(connection.username());
      if (connection.password() != null) {
        options.setPassword(connection.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    if (!connection.serverUri().startsWith("tcp:")) {
      try {
        // The JVM's trust store, as MqttTlsCheck checked it: taken now, not cached at first use.
        options.setSocketFactory(SSLContext.getDefault().getSocketFactory());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JVM has no default TLS context", e);
      }
    }
    IMqttToken token = client.connectWithResult(options);
    boolean sessionPresent = token.getSessionPresent();
    if (!sessionPresent && !first) {
      tally.sessionsMissing.incrementAndGet();
      LOG.warn(
          "MQTT client {}: {} kept no session for it across the reconnect: what was published to"
              + " its topics while it was away is lost (the broker's persistence or"
              + " persistent_client_expiration)",
          connection.clientId(),
          connection.serverUri());
    }
    if (!sessionPresent || subscribeAlways) {
      int[] qos = new int[connection.topics().size()];
      java.util.Arrays.fill(qos, 1);
      client.subscribe(connection.topics().toArray(String[]::new), qos);
      subscribeAlways = false; // the broker's session now holds these filters
    }
    LOG.info(
        "MQTT client {} connected to {} ({}), acknowledging each message once it is in the raw lake",
        connection.clientId(),
        connection.serverUri(),
        sessionPresent ? "its session resumed" : "a new session");
  }

  private void run() {
    try {
      landUntilClosed();
    } finally {
      if (failure == null) {
        try {
          synchronized (landLock) {
            publish(); // what was acknowledged is in the lake under its own name before we go
          }
        } catch (IOException e) {
          LOG.warn("MQTT client {}: could not publish its last batch ({}); the next start does",
              connection.clientId(), e.getMessage());
        }
      }
    }
  }

  private void landUntilClosed() {
    long backoff = 100;
    while (!closing) {
      if (lingeredEnough()) {
        LOG.info("MQTT client {}: no reader took it over; disconnecting", connection.clientId());
        closing = true;
        disconnect();
        return;
      }
      try {
        if (!client.isConnected()) {
          connect(false);
          backoff = 100;
        }
        Thread.sleep(50);
        synchronized (landLock) {
          if (failure != null) {
            return;
          }
          if (open != null && System.currentTimeMillis() - open.receivedAt >= PUBLISH_EVERY_MILLIS) {
            publish();
          }
        }
      } catch (MqttException e) {
        if (closing) {
          return;
        }
        if (System.currentTimeMillis() - lastPolled > ABANDONED_MILLIS) {
          // A job cancelled without closing its reader (a test's cancel, a runner's teardown):
          // nobody would ever take what it lands. A reader that does come back fails and is
          // restored from its checkpoint.
          LOG.info("MQTT client {}: no reader polled it for {} s while the broker was away; stopping",
              connection.clientId(), ABANDONED_MILLIS / 1000);
          closing = true;
          synchronized (LIVE) {
            LIVE.remove(key(connection), this);
          }
          return;
        }
        LOG.warn("MQTT client {}: cannot reconnect to {} ({}); trying again in {} ms",
            connection.clientId(), connection.serverUri(), e.getMessage(), backoff);
        sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        fail(e);
        return;
      }
    }
  }

  private void fail(Exception e) {
    LOG.error("MQTT client {}: landing in the raw lake failed; nothing more is acknowledged",
        connection.clientId(), e);
    failure = e;
  }

  /**
   * Lands one message on the client's callback thread, then acknowledges it: appended to the open
   * batch and flushed, or, when it is a copy the broker sent again of one landed already, only
   * acknowledged. Landing on this thread, not handing messages to another, keeps the time from
   * arrival to acknowledgement to one append, which is what bounds how fast the broker sends.
   */
  private void land(String topic, MqttMessage message) {
    synchronized (landLock) {
      if (failure != null || closing) {
        return; // not acknowledged: the broker sends it again, to the next client of this id
      }
      Identity identity = identity(topic, message.getId(), message.getPayload());
      if (message.isDuplicate() && recent.containsKey(identity)) {
        tally.redeliveredCopies.incrementAndGet();
        LOG.debug("MQTT client {}: a redelivered message already in the raw lake, not landed again",
            connection.clientId());
      } else {
        try {
          append(
              topic,
              message,
              Map.of(TOPIC, topic, MESSAGE_ID, Integer.toString(message.getId())));
        } catch (IOException | RuntimeException e) {
          fail(e);
          return;
        }
        recent.put(identity, true);
      }
    }
    if (message.getQos() > 0) {
      try {
        client.messageArrivedComplete(message.getId(), message.getQos());
      } catch (MqttException e) {
        // Landed: when the broker sends it again it is recognised as a copy.
        LOG.debug("MQTT client {}: acknowledgement not sent ({})", connection.clientId(), e.getMessage());
      }
    }
  }

  private void append(String topic, MqttMessage message, Map<String, String> attributes)
      throws IOException {
    long receivedAt;
    synchronized (stampLock) {
      receivedAt = Math.max(System.currentTimeMillis(), lastStamp);
      lastStamp = receivedAt;
    }
    if (open != null
        && (open.events().size() >= PUBLISH_AT_EVENTS
            || !Partitions.hourly(open.receivedAt).equals(Partitions.hourly(receivedAt)))) {
      publish();
    }
    if (open == null) {
      synchronized (stampLock) {
        open = files.open(nextSeq, receivedAt);
        landingSince = receivedAt;
      }
    }
    open.append(List.of(new RawEvent("mqtt:" + topic, receivedAt, message.getPayload(), attributes)));
    tally.landed.incrementAndGet();
    if (!appendable) {
      publish();
    }
  }

  /** Closes the open batch, renames it to its lake name and hands it to the reader. */
  private void publish() throws IOException {
    if (open == null) {
      return;
    }
    MqttLakeFiles.BatchFile file = open.publish();
    List<RawEvent> events = open.events();
    synchronized (stampLock) {
      boolean keep = inMemory.addAndGet(events.size()) <= IN_MEMORY_EVENTS;
      if (!keep) {
        inMemory.addAndGet(-events.size());
      }
      landed.add(new Batch(open.seq, open.receivedAt, file.path(), keep ? events : null, 0, false));
      nextSeq++;
      landingSince = Long.MAX_VALUE;
      open = null;
    }
  }

  /** The reader took a batch's in-memory events. */
  void taken(int events) {
    inMemory.addAndGet(-events);
  }

  private static Identity identity(String topic, int id, byte[] payload) {
    try {
      return new Identity(topic, id, ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(payload)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Paho knows {@code ssl://}; {@code tls://} is the same. */
  static String pahoUri(String serverUri) {
    return serverUri.startsWith("tls://") ? "ssl://" + serverUri.substring(6) : serverUri;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops landing (a batch being written is finished first) and disconnects; what arrived and did
   * not land is not acknowledged, so the broker sends it again to the next client of this id.
   */
  @Override
  public void close() {
    closing = true;
    synchronized (LIVE) {
      LIVE.remove(key(connection), this);
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    disconnect();
  }

  private void disconnect() {
    try {
      if (client.isConnected()) {
        client.disconnect(1_000);
      }
    } catch (MqttException e) {
      LOG.debug("MQTT client {}: disconnect: {}", connection.clientId(), e.getMessage());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("MQTT client {}: close: {}", connection.clientId(), e.getMessage());
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      if (!closing) {
        tally.connectionsLost.incrementAndGet();
        LOG.warn("MQTT client {}: connection to {} lost ({}); reconnecting to the same session,"
                + " the broker sends again what was not acknowledged",
            connection.clientId(), connection.serverUri(), why(response));
      }
    }

    private String why(MqttDisconnectResponse response) {
      if (response.getException() != null) {
        return response.getException().getMessage();
      }
      return response.getReasonString() != null
          ? response.getReasonString()
          : "reason code " + response.getReturnCode();
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
      LOG.warn("MQTT client {}: {}", connection.clientId(), e.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      land(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
