package railyard.io.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static railyard.io.serving.ServingRows.batch;
import static railyard.io.serving.ServingRows.row;
import static railyard.io.serving.ServingRows.speed;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

@RunWith(JUnit4.class)
public class SqliteServingStoreTest {
  private static final String SESSIONS = "sessions";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private File file;
  private ServingStore store;

  @Before
  public void openStore() throws Exception {
    file = new File(folder.getRoot(), "serving.db");
    store = ServingStore.open("sqlite:" + file, Set.of(SESSIONS));
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

    store = ServingStore.open(file.getPath());

    assertThat(store.readMerged("v"), contains(speed("v", "a", 0, 60, 0)));
  }

  @Test
  public void plainSqlSeesTheMergedViewInWalMode() throws Exception {
    store.upsert(
        List.of(
            speed("v", "a", 0, 60, 1),
            batch("v", "a", 0, 60),
            row("v", "b", 0, 60, Layer.SPEED, "ON_TIME", 1)));

    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sql.createStatement()) {
      assertThat(single(statement, "PRAGMA journal_mode"), is("wal"));
      assertThat(
          single(statement, "SELECT group_concat(key || ':' || layer, ',') FROM"
              + " (SELECT * FROM serving_merged ORDER BY key)"),
          is("a:batch,b:speed"));
      assertThat(
          single(statement, "SELECT metrics FROM serving WHERE key = 'b'"),
          is("{\"sum\":20.0,\"avg\":2.5}"));
    }
  }

  private static String single(Statement statement, String sql) throws Exception {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
