package railyard.io.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import railyard.io.serving.ServingStore;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.transforms.HealthView;

/**
 * The dashboard in a real headless Chromium: it loads, draws the served data, and shows keys
 * holding markup as text without running anything from them. The page's DOM is read once, after
 * its first refresh; the screenshot is kept as target/dashboard.png.
 */
public class DashboardBrowserTest {
  static final String IMG_KEY = "<img src=x onerror=\"document.title='pwned-img'\">";
  static final String SCRIPT_KEY = "<script>document.title='pwned-script'</script>";
  static final int WINDOWS = 10;
  /** The clicks view has no rows in windows 4 to 6. */
  static final int GAP_FROM = 4;
  static final int GAP_TO = 6;

  @ClassRule public static final TemporaryFolder folder = new TemporaryFolder();

  private static QueryServer server;
  private static String dom;

  @BeforeClass
  public static void loadTheDashboard() throws Exception {
    String serving = folder.getRoot().toPath().resolve("serving.db").toString();
    List<ServingRow> rows = new ArrayList<>();
    for (int w = 0; w < WINDOWS; w++) {
      rows.add(QueryRows.speed("orders", "alpha", w, "ON_TIME", 100 + 3 * w));
      rows.add(QueryRows.speed("orders", "beta", w, "ON_TIME", 60 + (w % 4) * 10));
      rows.add(QueryRows.speed("orders", IMG_KEY, w, "ON_TIME", 40 + w));
      rows.add(QueryRows.speed("orders", SCRIPT_KEY, w, "ON_TIME", 20 + 2 * w));
      if (w < GAP_FROM || w > GAP_TO) {
        rows.add(QueryRows.speed("clicks", "home|mobile", w, "ON_TIME", 7 + w));
      }
      rows.add(health(w, 200, w));
    }
    try (ServingStore store = ServingStore.open(serving)) {
      store.upsert(rows);
      store.recordAlert(alert("a-open", Alert.Status.OPEN, "volume_drop", "critical"), QueryRows.start(8));
      store.recordAlert(alert("a-done", Alert.Status.OPEN, "invalid_spike", "warning"), QueryRows.start(2));
      store.recordAlert(alert("a-done", Alert.Status.RESOLVED, "invalid_spike", "warning"), QueryRows.start(4));
    }
    server = QueryServer.start(QueryConfig.loopback(serving, 0));
    Path work = Files.createDirectories(Path.of("target", "dashboard-test"));
    HeadlessChromium chromium = new HeadlessChromium(work);
    dom = chromium.dumpDom(server.uri().toString(), 8_000);
    Files.writeString(work.resolve("dashboard-dom.html"), dom);
    chromium.screenshot(server.uri().toString(), 8_000, Path.of("target", "dashboard.png"));
  }

  /** A row of the pipeline's health view: {@code received} events, {@code dead} dead letters. */
  private static ServingRow health(int window, long received, long dead) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(HealthView.RECEIVED, (double) received);
    metrics.put(HealthView.DEAD_LETTERS, (double) dead);
    metrics.put(HealthView.UNIQUE, (double) (received - dead));
    return new ServingRow(
        HealthView.NAME, "", QueryRows.start(window), QueryRows.start(window + 1), metrics,
        received + dead + received - dead, ServingRow.Layer.SPEED, "ON_TIME", 1,
        QueryRows.start(window + 1));
  }

  private static Alert alert(String id, Alert.Status status, String rule, String severity) {
    return new Alert(id, status, "pipeline", "shop", rule, severity, HealthView.NAME, "",
        "received", 12, 50, QueryRows.start(7), QueryRows.start(8), "Volume fell to 12 <b>events</b>");
  }

  @AfterClass
  public static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The HTML of the section of one view. */
  private static String section(String view) {
    int start = dom.indexOf("data-view=\"" + view + "\" class=\"view\"");
    if (start < 0) {
      start = dom.indexOf("class=\"view\" id=\"view-" + view + "\"");
    }
    assertThat("a section for view " + view + " in " + dom, start, is(greaterThan(-1)));
    int end = dom.indexOf("</section>", start);
    return dom.substring(start, end);
  }

  @Test
  public void thePageLoadsAndFinishesItsFirstRefresh() {
    assertThat(dom, containsString("data-ready=\"true\""));
    assertThat(dom, containsString("Updated "));
    assertThat(dom, not(containsString("Cannot refresh")));
  }

  @Test
  public void eachViewHasAChartDrawnOnACanvasWithTheServedValues() {
    String orders = section("orders");

    assertThat(orders, containsString("<canvas"));
    assertThat(orders, containsString("data-points=\"" + 4 * WINDOWS + "\""));
    // alpha's event counts, window by window, as the chart was given them.
    assertThat(
        orders, containsString("[100,103,106,109,112,115,118,121,124,127]"));
    assertThat(section("clicks"), containsString("<canvas"));
  }

  @Test
  public void aLineBreaksAcrossWindowsWithNoData() {
    // One start with no value after window 3, so the line stops there and resumes at window 7.
    assertThat(section("clicks"), containsString("data-values=\"[[7,8,9,10,null,14,15,16]]\""));
  }

  @Test
  public void theHealthViewChartsTheEventsReceivedByDefault() {
    String health = section(HealthView.NAME);

    assertThat(health, containsString("data-metric=\"received\""));
    assertThat(health, containsString("data-values=\"[[200,200,200,200,200,200,200,200,200,200]]\""));
  }

  @Test
  public void anEmptyStoreShowsANoViewsYetNote() throws Exception {
    String serving = folder.newFolder().toPath().resolve("empty.db").toString();
    ServingStore.open(serving).close();
    try (QueryServer empty = QueryServer.start(QueryConfig.loopback(serving, 0))) {
      String page =
          new HeadlessChromium(Files.createDirectories(Path.of("target", "dashboard-test-empty")))
              .dumpDom(empty.uri().toString(), 8_000);

      assertThat(page, containsString("data-ready=\"true\""));
      assertThat(page, containsString("<p class=\"note\" id=\"views-note\">No views yet"));
    }
  }

  @Test
  public void theTopKeysTableShowsTheLatestCompleteWindowRanked() {
    String orders = section("orders");
    Matcher keys = Pattern.compile("<td class=\"key\">(.*?)</td>").matcher(orders);
    List<String> ranked = new ArrayList<>();
    while (keys.find()) {
      ranked.add(keys.group(1));
    }

    assertThat(
        ranked,
        is(List.of(
            "alpha",
            "beta",
            "&lt;img src=x onerror=\"document.title='pwned-img'\"&gt;",
            "&lt;script&gt;document.title='pwned-script'&lt;/script&gt;")));
    assertThat(orders, containsString("<td class=\"number value\">127</td>"));
    assertThat(orders, containsString(QueryRows.iso(WINDOWS - 1)));
  }

  @Test
  public void keysHoldingMarkupAreTextAndNothingFromThemRuns() {
    assertThat(dom, containsString("<title>Railyard dashboard</title>"));
    assertThat(dom, not(containsString("pwned-img</title>")));
    assertThat(dom, not(containsString("<img src=\"x\"")));
    assertThat(dom, not(containsString("<img src=x")));
    assertThat(dom, not(containsString("<script>document.title")));
  }

  @Test
  public void theHealthPanelShowsFreshnessAndTheLatestMinutesDeadLetterRate() {
    assertThat(dom, containsString("<tr data-view=\"orders\"><td>orders</td><td>"
        + QueryRows.iso(WINDOWS) + "</td>"));
    // The last minute: 200 received, 9 dead letters.
    assertThat(dom, containsString("<td class=\"number received\">200</td>"));
    assertThat(dom, containsString("<td class=\"number dead-letters\">9</td>"));
    assertThat(dom, containsString("<td class=\"number rate\">4.50 %</td>"));
  }

  @Test
  public void theHealthPanelListsOnlyTheOpenAlertsWithTheirMessageAsText() {
    int start = dom.indexOf("<table id=\"alerts\">");
    String alerts = dom.substring(start, dom.indexOf("</table>", start));

    assertThat(alerts, containsString("<tr data-alert=\"a-open\" class=\"alert critical\">"));
    assertThat(alerts, containsString("<td class=\"rule\">volume_drop</td>"));
    assertThat(alerts, containsString(
        "<td class=\"message\">Volume fell to 12 &lt;b&gt;events&lt;/b&gt;</td>"));
    assertThat(alerts, not(containsString("a-done")));
  }

  @Test
  public void theScreenshotIsKept() throws Exception {
    assertThat(Files.size(Path.of("target", "dashboard.png")), is(greaterThan(10_000L)));
  }
}
