package railyard.io.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.runners.LoopbackOnly;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * A BigQuery warehouse table following a new schema version, on Beam's fake BigQuery services:
 * after the nullable field the version adds is appended, BigQueryIO writes rows carrying it. The
 * REST calls themselves and the refusals are specified in {@link BigQueryTableEvolutionTest}.
 */
@RunWith(JUnit4.class)
public class WarehouseTableEvolutionTest {
  private static final AtomicInteger DATASETS = new AtomicInteger();
  private static final DeclaredSchema V2 =
      new DeclaredSchema(
          "orders",
          2,
          List.of(
              FieldSpec.of("order_id", FieldKind.STRING).asRequired(),
              FieldSpec.of("amount", FieldKind.DOUBLE),
              FieldSpec.of("qty", FieldKind.LONG),
              FieldSpec.of("paid", FieldKind.BOOLEAN),
              FieldSpec.of("placed_at", FieldKind.TIMESTAMP),
              FieldSpec.of("coupon", FieldKind.STRING)),
          Map.of("coupon", 2),
          null);

  @Rule public final transient LoopbackOnly loopbackOnly = new LoopbackOnly();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private final FakeDatasetService datasets = new FakeDatasetService();
  private FakeBigQueryServices services;
  private String dataset;
  private TableReference orders;

  @Before
  public void createVersion1Table() throws Exception {
    FakeDatasetService.setUp();
    dataset = "evolving_" + DATASETS.incrementAndGet();
    datasets.createDataset(BigQueryWarehouseWriteTest.PROJECT, dataset, "", "", null);
    services = new FakeBigQueryServices().withDatasetService(datasets).withJobService(new FakeJobService());
    orders =
        new TableReference()
            .setProjectId(BigQueryWarehouseWriteTest.PROJECT)
            .setDatasetId(dataset)
            .setTableId("orders");
    datasets.createTable(
        new Table()
            .setTableReference(orders)
            .setSchema(WarehouseTables.tableSchema(BigQueryWarehouseWriteTest.ORDERS))
            .setTimePartitioning(WarehouseTables.dailyOnEventTime()));
  }

  /** The evolution's two table calls on Beam's fake dataset service. */
  private WarehouseTableEvolution.Tables fakeTables() {
    return new WarehouseTableEvolution.Tables() {
      @Override
      public Table get(TableReference table) throws IOException {
        try {
          return datasets.getTable(table);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }

      @Override
      public void patchSchema(TableReference table, Table existing, TableSchema schema) throws IOException {
        datasets.updateTableSchema(table, schema);
      }
    };
  }

  private List<String> tableFields() throws Exception {
    return datasets.getTable(orders).getSchema().getFields().stream()
        .map(f -> f.getName() + " " + f.getType() + " " + f.getMode())
        .collect(Collectors.toList());
  }

  /**
   * The table's schema is the proof here: Beam's fake stores whatever fields the writer sends (it
   * took a row with {@code coupon} into a table without it when tried), so the stored row shows
   * only that the write works with the evolved schema.
   */
  @Test
  public void theNullableFieldOfANewVersionIsAppendedAndNewRowsCarryIt() throws Exception {
    List<String> added = WarehouseTableEvolution.evolve(fakeTables(), orders, V2);

    assertThat(added, equalTo(List.of("coupon")));
    List<String> fields = tableFields();
    assertThat(fields.get(fields.size() - 1), equalTo("coupon STRING NULLABLE"));

    Instant time = Instant.parse("2026-01-02T10:00:00Z");
    Row withCoupon =
        Row.withSchema(V2.rowSchema())
            .addValues("c1", 3.0, 1L, true, time, "SPRING", "evt-c1", time, time.plus(5), "test")
            .build();
    pipeline
        .apply(Create.of(withCoupon).withRowSchema(V2.rowSchema()))
        .apply(
            BigQueryWarehouseWrite.create()
                .to(BigQueryLocation.parse("bigquery:" + BigQueryWarehouseWriteTest.PROJECT + ":" + dataset))
                .withSchema(V2)
                .withTestServices(services));
    pipeline.run().waitUntilFinish();

    List<String> stored = new ArrayList<>();
    datasets.getAllRows(BigQueryWarehouseWriteTest.PROJECT, dataset, "orders")
        .forEach(row -> stored.add(row.get("order_id") + " " + row.get("coupon")));
    assertThat(stored, containsInAnyOrder("c1 SPRING"));
  }
}
