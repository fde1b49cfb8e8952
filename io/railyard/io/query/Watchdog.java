package railyard.io.query;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.io.alerts.AlertDelivery;
import railyard.io.alerts.AlertSink;
import railyard.io.alerts.AlertSinks;
import railyard.io.serving.ServingStore;
import railyard.io.serving.ViewStats;
import railyard.model.Alert;

/**
 * Watches the serving store from outside the pipeline: when a view's newest window ends longer
 * ago than the freshness the spec declares, the pipeline has stopped or nothing arrives, and no
 * rule inside the pipeline can say so. One alert opens per stall and resolves when a newer window
 * arrives. The incident's id comes from the pipeline, the view and the newest window's end, so a
 * restarted query service raises the same incident, which the alerts table then knows.
 */
public final class Watchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
  static final String RULE = "freshness";
  static final String METRIC = "age_seconds";

  /**
   * What the watchdog needs from the spec.
   *
   * @param pipeline the pipeline's name, for the alerts
   * @param freshness the age of a view's newest window end beyond which it is stale
   * @param checkEvery how often to look
   */
  public record Settings(String pipeline, Duration freshness, Duration checkEvery, AlertSinks sinks) {
    public Settings {
      Objects.requireNonNull(pipeline, "pipeline");
      Objects.requireNonNull(sinks, "sinks");
      if (freshness.isNegative() || freshness.isZero()) {
        throw new IllegalArgumentException("the watchdog's freshness must be longer than 0");
      }
    }
  }

  private final ServingStore store;
  private final Settings settings;
  private final LongSupplier clock;
  private final List<AlertSink> sinks;
  private final AlertDelivery delivery;
  private final Map<String, Alert> open = new HashMap<>();
  private ScheduledExecutorService timer;

  Watchdog(ServingStore store, Settings settings, LongSupplier clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.sinks = settings.sinks().open();
    this.delivery = new AlertDelivery(sinks);
  }

  /** Checks now and then every {@code checkEvery}, on a thread of its own. */
  void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "railyard-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    long every = settings.checkEvery().toMillis();
    timer.scheduleWithFixedDelay(this::checkQuietly, 0, every, TimeUnit.MILLISECONDS);
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("Watchdog check failed; trying again in {}", settings.checkEvery(), e);
    }
  }

  /** One look at every view; returns the alerts it raised or resolved. */
  synchronized List<Alert> check() {
    long now = clock.getAsLong();
    List<Alert> changes = new ArrayList<>();
    for (ViewStats view : store.viewStats()) {
      long age = now - view.lastWindowEnd();
      Alert stalled = open.get(view.view());
      if (stalled == null && age > settings.freshness().toMillis()) {
        Alert alert = alert(view, Alert.Status.OPEN, age);
        open.put(view.view(), alert);
        changes.add(alert);
      } else if (stalled != null && view.lastWindowEnd() > stalled.windowEnd()
          && age <= settings.freshness().toMillis()) {
        open.remove(view.view());
        changes.add(
            new Alert(stalled.id(), Alert.Status.RESOLVED, stalled.source(), stalled.pipeline(),
                RULE, stalled.severity(), stalled.view(), "", METRIC, age / 1000.0,
                stalled.threshold(), view.lastWindowEnd(), view.lastWindowEnd(),
                "View " + view.view() + " is fresh again: newest window ended at "
                    + Instant.ofEpochMilli(view.lastWindowEnd())));
      }
    }
    for (Alert change : changes) {
      for (String failure : delivery.deliver(change)) {
        LOG.error("Watchdog alert {} not delivered: {}", change.deliveryId(), failure);
      }
    }
    return changes;
  }

  private Alert alert(ViewStats view, Alert.Status status, long age) {
    String id = Hashing.sha256()
        .hashString(
            String.join("\u0000", settings.pipeline(), "watchdog", view.view(),
                Long.toString(view.lastWindowEnd())),
            StandardCharsets.UTF_8)
        .toString()
        .substring(0, 24);
    return new Alert(
        id,
        status,
        "watchdog",
        settings.pipeline(),
        RULE,
        "critical",
        view.view(),
        "",
        METRIC,
        age / 1000.0,
        settings.freshness().toSeconds(),
        view.lastWindowEnd(),
        view.lastWindowEnd(),
        "No new window of view " + view.view() + " since "
            + Instant.ofEpochMilli(view.lastWindowEnd()) + " (" + age / 1000 + " s, more than "
            + settings.freshness().toSeconds() + " s): the pipeline may have stopped");
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    sinks.forEach(AlertSink::close);
  }
}
