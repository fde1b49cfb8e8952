package railyard.io.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.model.ServingRow;
import railyard.runners.LoopbackOnly;

/**
 * The BigQuery serving sink keeps the serving contract on Beam's fake BigQuery services, which
 * apply change-data-capture upserts by primary key and sequence number as BigQuery does.
 */
@RunWith(JUnit4.class)
public class BigQueryServingWriteTest {
  static final String PROJECT = "railyard-test";
  private static final AtomicInteger DATASETS = new AtomicInteger();
  private static final long WINDOW = Instant.parse("2026-01-01T10:00:00Z").getMillis();

  @Rule public final transient LoopbackOnly loopbackOnly = new LoopbackOnly();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private final FakeDatasetService datasets = new FakeDatasetService();
  private FakeBigQueryServices services;
  private String dataset;

  @Before
  public void setUp() throws Exception {
    FakeDatasetService.setUp();
    dataset = "serving_" + DATASETS.incrementAndGet();
    datasets.createDataset(PROJECT, dataset, "", "", null);
    services = new FakeBigQueryServices().withDatasetService(datasets).withJobService(new FakeJobService());
    GcpOptions gcp = pipeline.getOptions().as(GcpOptions.class);
    gcp.setProject(PROJECT);
    gcp.setCredentialFactoryClass(NoopCredentialFactory.class);
  }

  private static ServingRow row(String key, ServingRow.Layer layer, long paneIndex, long events, long computedAt) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("events", (double) events);
    return new ServingRow(
        "per_minute", key, WINDOW, WINDOW + 60_000, metrics, events, layer,
        paneIndex == 0 ? "EARLY" : "ON_TIME", paneIndex, computedAt);
  }

  private PCollection<DeadLetter> serve(ServingRow... rows) {
    return pipeline
        .apply(Create.of(List.of(rows)))
        .apply(
            BigQueryServingWrite.create()
                .to(BigQueryLocation.parse("bigquery:" + PROJECT + ":" + dataset))
                .withTestServices(services));
  }

  private List<String> served() throws Exception {
    return datasets.getAllRows(PROJECT, dataset, "serving").stream()
        .map(r -> r.get("key") + "/" + r.get("layer") + "/" + r.get("pane_index") + "/" + r.get("event_count"))
        .collect(Collectors.toList());
  }

  @Test
  public void oneRowPerViewKeyWindowAndLayerWithTheNewestPane() throws Exception {
    long t = Instant.parse("2026-01-01T10:01:00Z").getMillis();
    PCollection<DeadLetter> rejected =
        serve(
            row("home", ServingRow.Layer.SPEED, 0, 5, t),
            row("home", ServingRow.Layer.SPEED, 1, 8, t + 1000),
            row("home", ServingRow.Layer.BATCH, 0, 9, t + 5000),
            row("cart", ServingRow.Layer.SPEED, 0, 2, t));
    PAssert.that(rejected).empty();
    pipeline.run().waitUntilFinish();

    assertThat(served(), containsInAnyOrder("home/speed/1/8", "home/batch/0/9", "cart/speed/0/2"));
  }

  @Test
  public void anOlderPaneArrivingLastDoesNotReplaceANewerOne() throws Exception {
    long t = Instant.parse("2026-01-01T10:01:00Z").getMillis();
    ServingRow newer = row("home", ServingRow.Layer.SPEED, 2, 11, t);
    ServingRow older = row("home", ServingRow.Layer.SPEED, 1, 8, t + 60_000);

    assertThat(ServingTables.changeSequence(newer), greaterThan(ServingTables.changeSequence(older)));
    serve(newer, older);
    pipeline.run().waitUntilFinish();

    assertThat(served(), containsInAnyOrder("home/speed/2/11"));
  }

  @Test
  public void aRetriedRowChangesNothing() throws Exception {
    long t = Instant.parse("2026-01-01T10:01:00Z").getMillis();
    ServingRow once = row("home", ServingRow.Layer.BATCH, 0, 9, t);
    serve(once, once, once);
    pipeline.run().waitUntilFinish();

    assertThat(served(), containsInAnyOrder("home/batch/0/9"));
  }

  @Test
  public void theTableIsCreatedWithTheServingKeyAsPrimaryKey() throws Exception {
    serve(row("home", ServingRow.Layer.SPEED, 0, 5, WINDOW));
    pipeline.run().waitUntilFinish();

    Table table =
        datasets.getTable(new TableReference().setProjectId(PROJECT).setDatasetId(dataset).setTableId("serving"));
    assertThat(
        table.getTableConstraints().getPrimaryKey().getColumns(),
        equalTo(List.of("view", "key", "window_start", "window_end", "layer")));
    TableRow stored = datasets.getAllRows(PROJECT, dataset, "serving").get(0);
    assertThat(stored.get("metrics"), equalTo("{\"events\":5.0}"));
  }

  @Test
  public void theMergedViewPrefersBatchRowsThatCoverTheSpeedRowsWindow() {
    String ddl = ServingTables.mergedViewDdl("p.d.serving", "p.d.serving_merged", java.util.Set.of());
    assertThat(ddl, containsString("CREATE OR REPLACE VIEW `p.d.serving_merged`"));
    assertThat(ddl, containsString("s.layer = 'batch' OR NOT EXISTS"));
    assertThat(ddl, containsString("b.window_start <= s.window_start AND b.window_end >= s.window_end"));
  }
}
