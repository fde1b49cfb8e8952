package railyard.io.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static railyard.io.serving.ServingRows.batch;
import static railyard.io.serving.ServingRows.speed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/**
 * What every {@link ServingStore} does, whatever it is kept in: idempotent, pane-ordered upserts,
 * the lambda merge and the merging-session rules. Each store's test class extends this one.
 */
public abstract class ServingStoreContract {
  static final String SESSIONS = "sessions";

  protected ServingStore store;

  /** Where a fresh, empty store for one test lives. */
  protected abstract String location();

  @Before
  public void openStore() throws Exception {
    store = ServingStore.open(location(), Set.of(SESSIONS));
  }

  @After
  public void closeStore() {
    store.close();
  }

  private List<ServingRow> everything() {
    List<ServingRow> rows = new ArrayList<>();
    for (String view : store.views()) {
      rows.addAll(store.readLayer(view, Layer.SPEED));
      rows.addAll(store.readLayer(view, Layer.BATCH));
    }
    return rows;
  }

  @Test
  public void upsertingTheSameRowsTwiceLeavesTheSameTable() {
    List<ServingRow> rows =
        List.of(
            speed("v", "a", 0, 60, 0),
            speed("v", "b", 0, 60, 1),
            batch("v", "a", 0, 60),
            speed("w", "a", 60, 120, 2));
    store.upsert(rows);
    List<ServingRow> once = everything();

    store.upsert(rows);

    assertThat(everything(), equalTo(once));
    assertThat(store.countRows(), is(4L));
    assertThat(once, containsInAnyOrder(rows.toArray()));
  }

  @Test
  public void newerPaneReplacesOlder() {
    store.upsert(List.of(speed("v", "a", 0, 60, 0)));

    store.upsert(List.of(speed("v", "a", 0, 60, 1)));

    assertThat(store.readLayer("v", Layer.SPEED), contains(speed("v", "a", 0, 60, 1)));
  }

  @Test
  public void olderPaneNeverReplacesNewer() {
    store.upsert(List.of(speed("v", "a", 0, 60, 2)));

    store.upsert(List.of(speed("v", "a", 0, 60, 1), speed("v", "a", 0, 60, 0)));

    assertThat(store.readLayer("v", Layer.SPEED), contains(speed("v", "a", 0, 60, 2)));
  }

  @Test
  public void newestPaneWinsWithinOneTransactionWhateverTheOrder() {
    store.upsert(
        List.of(speed("v", "a", 0, 60, 1), speed("v", "a", 0, 60, 3), speed("v", "a", 0, 60, 2)));

    assertThat(store.readLayer("v", Layer.SPEED), contains(speed("v", "a", 0, 60, 3)));
  }

  @Test
  public void readMergedPrefersTheBatchRowAndShowsSpeedWhereThereIsNone() {
    store.upsert(
        List.of(
            speed("v", "a", 0, 60, 4),
            batch("v", "a", 0, 60),
            speed("v", "a", 60, 120, 1),
            speed("v", "b", 0, 60, 0)));

    assertThat(
        store.readMerged("v"),
        contains(batch("v", "a", 0, 60), speed("v", "a", 60, 120, 1), speed("v", "b", 0, 60, 0)));
  }

  @Test
  public void readMergedShowsOneViewOnly() {
    store.upsert(List.of(speed("v", "a", 0, 60, 0), batch("w", "a", 0, 60)));

    assertThat(store.readMerged("v"), contains(speed("v", "a", 0, 60, 0)));
  }

  @Test
  public void slidingWindowsAreNotHiddenByAnOverlappingBatchWindow() {
    store.upsert(List.of(speed("v", "a", 30, 90, 0), batch("v", "a", 0, 60)));

    assertThat(
        store.readMerged("v"), contains(batch("v", "a", 0, 60), speed("v", "a", 30, 90, 0)));
  }

  @Test
  public void mergedSessionSupersedesTheSessionsItGrewFrom() {
    store.upsert(List.of(speed(SESSIONS, "a", 0, 50, 0), speed(SESSIONS, "a", 60, 100, 0)));

    store.upsert(List.of(speed(SESSIONS, "a", 0, 100, 0)));

    assertThat(store.readLayer(SESSIONS, Layer.SPEED), contains(speed(SESSIONS, "a", 0, 100, 0)));
  }

  @Test
  public void mergedSessionLeavesOtherKeysAndLayersAlone() {
    List<ServingRow> others =
        List.of(speed(SESSIONS, "b", 0, 50, 0), batch(SESSIONS, "a", 0, 50));
    store.upsert(others);

    store.upsert(List.of(speed(SESSIONS, "a", 0, 100, 0)));

    assertThat(
        store.readLayer(SESSIONS, Layer.SPEED),
        contains(speed(SESSIONS, "a", 0, 100, 0), speed(SESSIONS, "b", 0, 50, 0)));
    assertThat(store.readLayer(SESSIONS, Layer.BATCH), contains(batch(SESSIONS, "a", 0, 50)));
  }

  @Test
  public void sessionPartArrivingAfterItsMergedSessionIsIgnored() {
    store.upsert(List.of(speed(SESSIONS, "a", 0, 100, 0)));

    store.upsert(List.of(speed(SESSIONS, "a", 0, 50, 1)));

    assertThat(store.readLayer(SESSIONS, Layer.SPEED), contains(speed(SESSIONS, "a", 0, 100, 0)));
  }

  @Test
  public void nestedWindowsOfANonMergingViewAreKept() {
    store.upsert(List.of(speed("v", "a", 0, 50, 0), speed("v", "a", 0, 100, 0)));

    assertThat(store.countRows(), is(2L));
  }

  @Test
  public void batchSessionHidesTheSpeedSessionsInsideIt() {
    store.upsert(
        List.of(
            speed(SESSIONS, "a", 10, 40, 0),
            speed(SESSIONS, "a", 200, 260, 0),
            batch(SESSIONS, "a", 0, 100)));

    assertThat(
        store.readMerged(SESSIONS),
        contains(batch(SESSIONS, "a", 0, 100), speed(SESSIONS, "a", 200, 260, 0)));
  }

  @Test
  public void batchSessionHidesTheSpeedSessionsItOverlaps() {
    store.upsert(
        List.of(
            speed(SESSIONS, "a", 0, 50, 0),
            speed(SESSIONS, "a", 80, 150, 0),
            speed(SESSIONS, "a", 300, 400, 0),
            speed(SESSIONS, "b", 0, 50, 0),
            batch(SESSIONS, "a", 40, 120)));

    assertThat(
        store.readMerged(SESSIONS),
        contains(
            batch(SESSIONS, "a", 40, 120),
            speed(SESSIONS, "a", 300, 400, 0),
            speed(SESSIONS, "b", 0, 50, 0)));
  }

  @Test
  public void aReaderThatNamesNoMergingViewsMergesSessionsAsTheWriterDeclared() {
    store.upsert(List.of(speed(SESSIONS, "a", 0, 50, 0), batch(SESSIONS, "a", 40, 120)));

    try (ServingStore reader = ServingStore.open(location())) {
      assertThat(reader.readMerged(SESSIONS), contains(batch(SESSIONS, "a", 40, 120)));
      assertThat(
          reader.readMergedStartingAt(SESSIONS, 0), empty());
    }
  }

  @Test
  public void overlappingBatchWindowOfANonMergingViewHidesOnlyItsOwnWindow() {
    store.upsert(
        List.of(
            speed("v", "a", 0, 60, 0), speed("v", "a", 30, 90, 0), batch("v", "a", 40, 100)));

    assertThat(
        store.readMerged("v"),
        contains(speed("v", "a", 0, 60, 0), speed("v", "a", 30, 90, 0), batch("v", "a", 40, 100)));
  }

  @Test
  public void metricsKeepTheirOrderAndNonFiniteValues() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("zeta", 1.0);
    metrics.put("alpha", Double.NaN);
    metrics.put("mid", Double.NEGATIVE_INFINITY);
    metrics.put("beta", -0.25);
    store.upsert(
        List.of(new ServingRow("v", "a", 0, 60, metrics, 5, Layer.SPEED, "EARLY", 0, 7)));

    Map<String, Double> read = store.readMerged("v").get(0).metrics();

    assertThat(new ArrayList<>(read.keySet()), contains("zeta", "alpha", "mid", "beta"));
    assertThat(new ArrayList<>(read.values()), equalTo(new ArrayList<>(metrics.values())));
  }

  @Test
  public void viewsAreListedInNameOrder() {
    store.upsert(
        List.of(speed("b", "k", 0, 1, 0), speed("a", "k", 0, 1, 0), batch("b", "k", 0, 1)));

    assertThat(store.views(), contains("a", "b"));
  }

  @Test
  public void emptyUpsertWritesNothing() {
    store.upsert(List.of());

    assertThat(store.countRows(), is(0L));
    assertThat(store.views(), is(empty()));
  }

  @Test
  public void reopeningKeepsTheRows() {
    store.upsert(List.of(speed("v", "a", 0, 60, 0)));
    store.close();

    store = ServingStore.open(location(), Set.of(SESSIONS));

    assertThat(store.readMerged("v"), contains(speed("v", "a", 0, 60, 0)));
  }

  @Test
  public void seriesReadsTheMergeOfTheGivenKeysInTheRangeOrderedByKeyThenWindow() {
    store.upsert(
        List.of(
            speed("v", "b", 60, 120, 0),
            speed("v", "a", 60, 120, 1),
            batch("v", "a", 60, 120),
            speed("v", "a", 0, 60, 0),
            speed("v", "a", 120, 180, 0),
            speed("v", "c", 0, 60, 0),
            speed("w", "a", 0, 60, 0)));

    assertThat(
        store.readMerged("v", List.of("b", "a"), 0, 120, null, 10),
        contains(speed("v", "a", 0, 60, 0), batch("v", "a", 60, 120), speed("v", "b", 60, 120, 0)));
  }

  @Test
  public void seriesPagesFollowOneAnotherWithoutGapsOrRepeats() {
    List<ServingRow> rows = new ArrayList<>();
    for (String key : List.of("a", "b")) {
      for (long start = 0; start < 300; start += 60) {
        rows.add(speed("v", key, start, start + 60, 0));
      }
    }
    store.upsert(rows);

    List<ServingRow> read = new ArrayList<>();
    WindowPosition after = null;
    for (int page = 0; page < 10; page++) {
      List<ServingRow> next = store.readMerged("v", List.of("a", "b"), 0, 300, after, 3);
      read.addAll(next);
      if (next.size() < 3) {
        break;
      }
      ServingRow last = next.get(next.size() - 1);
      after = new WindowPosition(last.key(), last.windowStart(), last.windowEnd());
    }

    assertThat(read, equalTo(rows));
  }

  @Test
  public void seriesTreatsKeysAsValuesNotSql() {
    store.upsert(List.of(speed("v", "a", 0, 60, 0), speed("v", "x' OR '1'='1", 0, 60, 0)));

    assertThat(
        store.readMerged("v", List.of("x' OR '1'='1"), 0, 60, null, 10),
        contains(speed("v", "x' OR '1'='1", 0, 60, 0)));
    assertThat(store.readMerged("v", List.of("' OR 1=1 --"), 0, 60, null, 10), is(empty()));
  }

  @Test
  public void windowStartingAtReadsEveryKeyOfThatWindowThroughTheMerge() {
    store.upsert(
        List.of(
            speed("v", "a", 0, 60, 0),
            batch("v", "a", 0, 60),
            speed("v", "b", 0, 60, 1),
            speed("v", "b", 60, 120, 0)));

    assertThat(
        store.readMergedStartingAt("v", 0),
        contains(batch("v", "a", 0, 60), speed("v", "b", 0, 60, 1)));
  }

  @Test
  public void latestCompleteWindowIsTheNewestWithABatchOrOnTimeOrLateRow() {
    store.upsert(
        List.of(
            batch("v", "a", 0, 60),
            speed("v", "a", 60, 120, 1), // LATE
            speed("v", "b", 60, 120, 0), // EARLY, same window: included as it is
            speed("v", "a", 120, 180, 0))); // EARLY only: not complete

    assertThat(
        store.readLatestCompleteWindow("v"),
        contains(speed("v", "a", 60, 120, 1), speed("v", "b", 60, 120, 0)));
  }

  @Test
  public void noCompleteWindowReadsNothing() {
    store.upsert(List.of(speed("v", "a", 0, 60, 0)));

    assertThat(store.readLatestCompleteWindow("v"), is(empty()));
  }

  @Test
  public void viewStatsDescribeEachViewFromItsRows() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("total", 1.0);
    metrics.put("max", 2.0);
    store.upsert(
        List.of(
            speed("v", "a", 0, 60, 0),
            new ServingRow("v", "b", 60, 180, metrics, 1, Layer.BATCH, "ON_TIME", 0, 5_000),
            speed("w", "a", 30, 40, 0)));

    List<ViewStats> stats = store.viewStats();

    assertThat(
        stats,
        contains(
            new ViewStats("v", 2, 0, 180, 5_000, List.of("total", "max"), List.of(60L, 120L)),
            new ViewStats("w", 1, 30, 40, 1_000, List.of("sum", "avg"), List.of(10L))));
  }

  private static Alert alert(String id, Alert.Status status, long windowEnd) {
    return new Alert(id, status, "pipeline", "p", "invalid_spike", "critical", "_health", "",
        "invalid_ratio", 0.5, 0.2, windowEnd - 60_000, windowEnd, "too many invalid records");
  }

  @Test
  public void anOpenedIncidentIsRecordedOnceAndListedAsOpen() {
    assertThat(store.recordAlert(alert("a1", Alert.Status.OPEN, 120_000), 1_000), is(true));
    assertThat(store.recordAlert(alert("a1", Alert.Status.OPEN, 120_000), 2_000), is(false));

    List<StoredAlert> open = store.openAlerts();
    assertThat(open.size(), is(1));
    assertThat(open.get(0).alert(), equalTo(alert("a1", Alert.Status.OPEN, 120_000)));
    assertThat(open.get(0).openedAt(), is(1_000L));
    assertThat(open.get(0).resolvedAt(), equalTo(null));
  }

  @Test
  public void aResolvedIncidentLeavesTheOpenListOnceAndIsNotReopenedByARepeat() {
    store.recordAlert(alert("a1", Alert.Status.OPEN, 120_000), 1_000);
    store.recordAlert(alert("a2", Alert.Status.OPEN, 180_000), 1_500);

    assertThat(store.recordAlert(alert("a1", Alert.Status.RESOLVED, 300_000), 2_000), is(true));
    assertThat(store.recordAlert(alert("a1", Alert.Status.RESOLVED, 300_000), 3_000), is(false));
    assertThat(store.recordAlert(alert("a1", Alert.Status.OPEN, 120_000), 4_000), is(false));

    assertThat(
        store.openAlerts().stream().map(a -> a.alert().id()).toList(), contains("a2"));
    StoredAlert resolved = store.recentAlerts(10).get(1);
    assertThat(resolved.alert().id(), is("a1"));
    assertThat(resolved.alert().status(), is(Alert.Status.RESOLVED));
    assertThat(resolved.resolvedAt(), is(2_000L));
  }
}
