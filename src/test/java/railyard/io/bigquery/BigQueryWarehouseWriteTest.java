package railyard.io.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.runners.LoopbackOnly;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * The BigQuery warehouse sink against Beam's fake BigQuery services (tables, Storage Write API
 * streams and their commits kept in memory): nothing reaches Google ({@link LoopbackOnly}).
 */
@RunWith(JUnit4.class)
public class BigQueryWarehouseWriteTest {
  static final String PROJECT = "railyard-test";
  // BigQueryIO remembers, JVM-wide, which tables it has created: a dataset per test keeps the
  // fake's fresh tables from being taken for created ones.
  private static final AtomicInteger DATASETS = new AtomicInteger();
  static final DeclaredSchema ORDERS =
      new DeclaredSchema(
          "orders",
          1,
          List.of(
              FieldSpec.of("order_id", FieldKind.STRING).asRequired(),
              FieldSpec.of("amount", FieldKind.DOUBLE),
              FieldSpec.of("qty", FieldKind.LONG),
              FieldSpec.of("paid", FieldKind.BOOLEAN),
              FieldSpec.of("placed_at", FieldKind.TIMESTAMP)));

  @Rule public final transient LoopbackOnly loopbackOnly = new LoopbackOnly();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private final FakeDatasetService datasets = new FakeDatasetService();
  private FakeBigQueryServices services;
  private String dataset;
  private BigQueryLocation location;

  @Before
  public void setUp() throws Exception {
    FakeDatasetService.setUp();
    dataset = "warehouse_" + DATASETS.incrementAndGet();
    location = BigQueryLocation.parse("bigquery:" + PROJECT + ":" + dataset);
    datasets.createDataset(PROJECT, dataset, "", "", null);
    services = new FakeBigQueryServices().withDatasetService(datasets).withJobService(new FakeJobService());
    GcpOptions gcp = pipeline.getOptions().as(GcpOptions.class);
    gcp.setProject(PROJECT);
    gcp.setCredentialFactoryClass(NoopCredentialFactory.class);
  }

  static Row order(String id, String eventTime) {
    Instant time = Instant.parse(eventTime);
    return Row.withSchema(ORDERS.rowSchema())
        .addValues(id, 12.5, 2L, true, time.minus(1000), "evt-" + id, time, time.plus(250), "kafka:orders/0/" + id)
        .build();
  }

  private BigQueryWarehouseWrite sink() {
    return BigQueryWarehouseWrite.create().to(location).withSchema(ORDERS).withTestServices(services);
  }

  private List<String> storedIds() throws Exception {
    return datasets.getAllRows(PROJECT, dataset, "orders").stream()
        .map(row -> String.valueOf(row.get("order_id")))
        .collect(Collectors.toList());
  }

  @Test
  public void createsTheTableFromTheDeclaredSchemaPartitionedByEventDay() throws Exception {
    pipeline
        .apply(Create.of(order("a", "2026-01-01T10:00:00Z")).withRowSchema(ORDERS.rowSchema()))
        .apply(sink());
    pipeline.run().waitUntilFinish();

    Table table =
        datasets.getTable(new TableReference().setProjectId(PROJECT).setDatasetId(dataset).setTableId("orders"));
    assertThat(
        table.getSchema().getFields().stream()
            .map(f -> f.getName() + " " + f.getType() + " " + f.getMode())
            .collect(Collectors.toList()),
        equalTo(
            List.of(
                "order_id STRING REQUIRED",
                "amount FLOAT64 NULLABLE",
                "qty INT64 NULLABLE",
                "paid BOOL NULLABLE",
                "placed_at TIMESTAMP NULLABLE",
                "_event_id STRING REQUIRED",
                "_event_time TIMESTAMP REQUIRED",
                "_received_at TIMESTAMP REQUIRED",
                "_source STRING REQUIRED")));
    assertThat(table.getTimePartitioning().getType(), equalTo("DAY"));
    assertThat(table.getTimePartitioning().getField(), equalTo("_event_time"));
  }

  @Test
  public void batchWritesEveryRowOnce() throws Exception {
    PCollection<DeadLetter> rejected =
        pipeline
            .apply(
                Create.of(
                        order("a", "2026-01-01T10:00:00Z"),
                        order("b", "2026-01-01T23:59:59Z"),
                        order("c", "2026-01-02T00:00:00Z"))
                    .withRowSchema(ORDERS.rowSchema()))
            .apply(sink());
    PAssert.that(rejected).empty();
    pipeline.run().waitUntilFinish();

    assertThat(storedIds(), containsInAnyOrder("a", "b", "c"));
  }

  @Test
  public void storesValuesOfEveryKind() throws Exception {
    pipeline
        .apply(Create.of(order("a", "2026-01-01T10:00:00Z")).withRowSchema(ORDERS.rowSchema()))
        .apply(sink());
    pipeline.run().waitUntilFinish();

    TableRow row = datasets.getAllRows(PROJECT, dataset, "orders").get(0);
    assertThat(row.get("order_id"), equalTo("a"));
    assertThat(Double.valueOf(row.get("amount").toString()), equalTo(12.5));
    assertThat(Long.valueOf(row.get("qty").toString()), equalTo(2L));
    assertThat(Boolean.valueOf(row.get("paid").toString()), is(true));
    assertThat(row.get("_source"), equalTo("kafka:orders/0/a"));
    assertThat(row.get("_event_id"), equalTo("evt-a"));
  }

  @Test
  public void rowsBigQueryRejectsBecomeSinkDeadLetters() throws Exception {
    datasets.setShouldFailRow(
        (Function<TableRow, Boolean> & Serializable) row -> "bad".equals(row.get("order_id")));

    PCollection<DeadLetter> rejected =
        pipeline
            .apply(
                Create.of(order("a", "2026-01-01T10:00:00Z"), order("bad", "2026-01-01T11:00:00Z"))
                    .withRowSchema(ORDERS.rowSchema()))
            .apply(sink());

    PAssert.that(rejected)
        .satisfies(
            letters -> {
              DeadLetter letter = letters.iterator().next();
              assertThat(letters.spliterator().getExactSizeIfKnown(), equalTo(1L));
              assertThat(letter.stage(), equalTo(DeadLetter.Stage.SINK));
              assertThat(letter.reason(), equalTo("bigquery_rejected"));
              assertThat(letter.message(), containsString("Failing row"));
              assertThat(letter.source(), equalTo("kafka:orders/0/bad"));
              assertThat(
                  letter.receivedAt(), equalTo(Instant.parse("2026-01-01T11:00:00.250Z").getMillis()));
              String payload = new String(letter.payload(), StandardCharsets.UTF_8);
              assertThat(payload, containsString("\"order_id\":\"bad\""));
              return null;
            });
    pipeline.run().waitUntilFinish();

    assertThat("the other rows are written", storedIds(), containsInAnyOrder("a"));
  }

  private PCollection<Row> streamOfOrders() {
    Instant start = Instant.parse("2026-01-01T10:00:00Z");
    return pipeline.apply(
        TestStream.create(ORDERS.rowSchema())
            .addElements(
                TimestampedValue.of(order("s1", "2026-01-01T10:00:00Z"), start),
                TimestampedValue.of(order("s2", "2026-01-01T10:00:01Z"), start.plus(1000)))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .addElements(TimestampedValue.of(order("bad", "2026-01-01T10:00:02Z"), start.plus(2000)))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .advanceWatermarkToInfinity());
  }

  @Test
  public void streamingWritesExactlyOnceByDefaultAndDeadLettersRejectedRows() throws Exception {
    datasets.setShouldFailRow(
        (Function<TableRow, Boolean> & Serializable) row -> "bad".equals(row.get("order_id")));

    PCollection<DeadLetter> rejected =
        streamOfOrders().apply(sink().withTriggeringFrequency(Duration.standardSeconds(1)));

    PAssert.that(rejected)
        .satisfies(
            letters -> {
              assertThat(letters.iterator().next().reason(), equalTo("bigquery_rejected"));
              return null;
            });
    pipeline.run().waitUntilFinish();

    assertThat(storedIds(), containsInAnyOrder("s1", "s2"));
  }

  @Test
  public void streamingCanWriteAtLeastOnce() throws Exception {
    PCollection<DeadLetter> rejected = streamOfOrders().apply(sink().withAtLeastOnce());

    PAssert.that(rejected).empty();
    pipeline.run().waitUntilFinish();

    assertThat(storedIds(), containsInAnyOrder("s1", "s2", "bad"));
  }

  @Test
  public void namesWhatIsMissing() {
    PCollection<Row> rows =
        pipeline.apply(Create.empty(ORDERS.rowSchema()));
    IllegalArgumentException noLocation =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply(BigQueryWarehouseWrite.create().withSchema(ORDERS)));
    assertThat(noLocation.getMessage(), containsString("to(BigQueryLocation)"));
    IllegalArgumentException noSchema =
        assertThrows(
            IllegalArgumentException.class,
            () -> rows.apply("NoSchema", BigQueryWarehouseWrite.create().to(location)));
    assertThat(noSchema.getMessage(), containsString("withSchema(declaredSchema)"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void locationsAreBigqueryProjectDataset() {
    BigQueryLocation parsed = BigQueryLocation.parse("bigquery:railyard-test:warehouse");
    assertThat(parsed.project(), equalTo("railyard-test"));
    assertThat(parsed.dataset(), equalTo("warehouse"));
    assertThat(parsed.tableSpec("orders"), equalTo("railyard-test:warehouse.orders"));
    assertThat(parsed.toString(), equalTo("bigquery:railyard-test:warehouse"));
    assertThat(BigQueryLocation.isBigQuery("gs://bucket/warehouse"), is(false));
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> BigQueryLocation.parse("bigquery:warehouse"));
    assertThat(bad.getMessage(), containsString("bigquery:<project>:<dataset>"));
  }
}
