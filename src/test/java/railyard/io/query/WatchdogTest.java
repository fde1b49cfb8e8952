package railyard.io.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.alerts.AlertSinks;
import railyard.io.alerts.WebhookConfig;
import railyard.io.alerts.WebhookReceiver;
import railyard.io.serving.ServingStore;
import railyard.model.Alert;
import railyard.model.ServingRow;

/**
 * The query service's watchdog over a real SQLite store, posting to a real receiver: a pipeline
 * that stops writing raises one alert per stall, resolved when windows arrive again.
 */
public class WatchdogTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final Duration FRESHNESS = Duration.ofMinutes(5);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final AtomicLong now = new AtomicLong();
  private String location;
  private ServingStore store;
  private WebhookReceiver receiver;

  @Before
  public void open() {
    location = "sqlite:" + folder.getRoot() + "/serving.db";
    store = ServingStore.open(location);
    receiver = WebhookReceiver.started();
  }

  @After
  public void close() {
    receiver.close();
    store.close();
  }

  /** What the pipeline writes: one complete health row a minute, up to {@code minutes}. */
  private void pipelineWritesUpTo(int fromMinute, int minutes) {
    for (int m = fromMinute; m < minutes; m++) {
      store.upsert(List.of(new ServingRow("_health", "", T0 + m * MINUTE, T0 + (m + 1) * MINUTE,
          Map.of("received", 100.0), 100, ServingRow.Layer.SPEED, "ON_TIME", 1,
          T0 + (m + 1) * MINUTE + 1_000)));
    }
  }

  private Watchdog.Settings settings(Duration checkEvery) {
    return new Watchdog.Settings("clickstream", FRESHNESS, checkEvery,
        AlertSinks.logOnly().withStore(location).withWebhook(WebhookConfig.to(receiver.url())));
  }

  private Watchdog watchdog() {
    return new Watchdog(store, settings(Duration.ofSeconds(1)), now::get);
  }

  private void at(int minute) {
    now.set(T0 + minute * MINUTE);
  }

  @Test
  public void aStoppedPipelineRaisesOneAlertPerStallAndItResolvesWhenWindowsReturn()
      throws Exception {
    pipelineWritesUpTo(0, 10);
    try (Watchdog watchdog = watchdog()) {
      at(12);
      assertThat(watchdog.check(), empty());
      for (int minute = 16; minute <= 30; minute++) {
        at(minute);
        watchdog.check();
      }
      pipelineWritesUpTo(10, 31);
      at(32);
      watchdog.check();
      at(33);
      watchdog.check();
    }

    List<WebhookReceiver.Post> posts = receiver.awaitPosts(2, 5);
    assertThat(
        posts.stream().map(p -> p.body().get("status").asText()).toList(),
        contains("open", "resolved"));
    assertThat(posts.get(0).body().get("id").asText(), is(posts.get(1).body().get("id").asText()));
    assertThat(posts.get(0).body().get("source").asText(), is("watchdog"));
    assertThat(posts.get(0).body().get("view").asText(), is("_health"));
    assertThat(posts.get(0).body().get("message").asText(), containsString("the pipeline may have stopped"));
    assertThat(store.openAlerts(), empty());
  }

  @Test
  public void aRestartedWatchdogDoesNotDeliverTheSameStallAgain() throws Exception {
    pipelineWritesUpTo(0, 10);
    at(20);
    try (Watchdog first = watchdog()) {
      assertThat(first.check().size(), is(1));
    }
    try (Watchdog second = watchdog()) {
      second.check();
    }

    Thread.sleep(300);
    assertThat(receiver.posts().size(), is(1));
    assertThat(store.openAlerts().size(), is(1));
    assertThat(store.openAlerts().get(0).alert().status(), is(Alert.Status.OPEN));
  }

  @Test
  public void theQueryServiceRunsTheWatchdogAndListsItsOpenAlert() throws Exception {
    pipelineWritesUpTo(0, 10); // windows of 2026-01-01, long stale by the wall clock
    try (QueryServer server =
        QueryServer.start(QueryConfig.loopback(location, 0), settings(Duration.ofMillis(200)))) {
      assertThat(receiver.awaitPosts(1, 10).size(), is(1));
      Thread.sleep(1_000); // several more checks: still one alert

      assertThat(receiver.posts().size(), is(1));
      JsonNode alerts = new QueryClient(server.uri()).get("/v1/alerts").json().get("alerts");
      assertThat(alerts.size(), is(1));
      assertThat(alerts.get(0).get("rule").asText(), is("freshness"));
      assertThat(alerts.get(0).get("status").asText(), is("open"));
    }
  }
}
