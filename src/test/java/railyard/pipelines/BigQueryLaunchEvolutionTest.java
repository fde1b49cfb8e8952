package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.bigquery.LoopbackBigQuery;
import railyard.io.bigquery.WarehouseTables;
import railyard.runners.LoopbackOnly;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;

/**
 * The launch of a job whose warehouse is {@code bigquery:<project>:<dataset>} brings the existing
 * table up to the spec's schema version before the job is built, through Beam's {@code
 * --bigQueryEndpoint} (here a {@link LoopbackBigQuery}); other warehouses never ask BigQuery.
 */
@RunWith(JUnit4.class)
public class BigQueryLaunchEvolutionTest {
  private static final String V1_SPEC = CatalogJobTest.SPEC;
  private static final String V2_SPEC = "src/test/resources/specs/catalogued-v2.yaml";
  private static final String WAREHOUSE = "bigquery:railyard-test:warehouse";
  private static final TableReference ORDERS =
      new TableReference().setProjectId("railyard-test").setDatasetId("warehouse").setTableId("orders");
  private static final String NO_CREDENTIALS =
      "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory";

  @Rule public final LoopbackOnly loopbackOnly = new LoopbackOnly();
  @Rule public final LoopbackBigQuery bigQuery = new LoopbackBigQuery();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Before
  public void putVersion1Table() {
    TableSchema version1 = WarehouseTables.tableSchema(SpecLoader.load(Path.of(V1_SPEC)).schema());
    bigQuery.put(
        new Table()
            .setTableReference(ORDERS)
            .setSchema(version1)
            .setTimePartitioning(WarehouseTables.dailyOnEventTime()));
  }

  private int launch(String spec, String endpoint) throws Exception {
    return Railyard.launch(
        new String[] {
          "--spec=" + spec, "--mode=batch", "--warehouse=" + WAREHOUSE, "--bigQueryEndpoint=" + endpoint, NO_CREDENTIALS,
          "--lake=" + folder.newFolder("lake"), "--serving=" + folder.getRoot() + "/s.db"
        },
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static RailyardOptions options(String... args) {
    PipelineOptionsFactory.register(RailyardOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(RailyardOptions.class);
  }

  private List<String> tableFields() {
    return bigQuery.table(ORDERS).getSchema().getFields().stream()
        .map(TableFieldSchema::getName)
        .toList();
  }

  @Test
  public void aLaunchOnATableOfAnotherTypeStopsWithExit2NamingTheFieldAndPatchesNothing() throws Exception {
    Table retyped = bigQuery.table(ORDERS);
    retyped.getSchema().getFields().stream()
        .filter(f -> f.getName().equals("amount"))
        .forEach(f -> f.setType("STRING"));
    bigQuery.put(retyped);

    assertThat(launch(V2_SPEC, bigQuery.endpoint()), is(2));

    assertThat(
        err.toString(StandardCharsets.UTF_8),
        allOf(
            containsString("railyard: incompatible schema change in BigQuery table 'orders'"),
            containsString("field 'amount' is STRING NULLABLE in the BigQuery table, but the spec declares FLOAT64")));
    assertThat(bigQuery.requests(), not(empty()));
    assertThat(bigQuery.requests("PATCH"), empty());
  }

  @Test
  public void aLaunchThatCannotReachBigQueryStopsWithExit2NamingTheTable() throws Exception {
    assertThat(launch(V2_SPEC, "http://127.0.0.1:1"), is(2));

    assertThat(
        err.toString(StandardCharsets.UTF_8),
        containsString("railyard: cannot bring BigQuery table railyard-test:warehouse.orders to schema version 2"));
  }

  /** What {@link Railyard#run} does before it builds and runs the pipeline. */
  @Test
  public void theRegistrationBeforeTheJobAppendsTheFieldsOfTheSpecsVersion() {
    RailyardOptions options =
        options("--spec=" + V2_SPEC, "--warehouse=" + WAREHOUSE, "--bigQueryEndpoint=" + bigQuery.endpoint(), NO_CREDENTIALS);
    PipelineSpec spec = Railyard.loadSpec(options);

    WarehouseCatalog.check(spec, options);
    assertThat("the check changes nothing", bigQuery.requests("PATCH"), empty());
    WarehouseCatalog.register(spec, options);

    assertThat(bigQuery.requests("PATCH").size(), equalTo(1));
    List<String> fields = tableFields();
    assertThat(fields.get(fields.size() - 1), equalTo("coupon"));
  }

  @Test
  public void aParquetWarehouseAsksBigQueryNothing() throws Exception {
    RailyardOptions options =
        options(
            "--spec=" + V2_SPEC,
            "--warehouse=" + folder.newFolder("warehouse"),
            "--bigQueryEndpoint=" + bigQuery.endpoint(),
            NO_CREDENTIALS);
    PipelineSpec spec = Railyard.loadSpec(options);

    WarehouseCatalog.check(spec, options);
    WarehouseCatalog.register(spec, options);

    assertThat(bigQuery.requests(), empty());
  }
}
