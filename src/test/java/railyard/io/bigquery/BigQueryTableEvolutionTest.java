package railyard.io.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertThrows;

import com.google.api.client.json.JsonFactory;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.extensions.gcp.util.Transport;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.catalog.IncompatibleSchemaException;
import railyard.runners.LoopbackOnly;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * A version-1 warehouse table in BigQuery brought up to the spec's schema version through the
 * real REST client, over HTTP, against {@link LoopbackBigQuery}: the nullable field a version adds
 * is appended with {@code tables.patch}, anything else is refused naming the field, and a missing
 * or up-to-date table is left alone.
 */
@RunWith(JUnit4.class)
public class BigQueryTableEvolutionTest {
  private static final JsonFactory JSON = Transport.getJsonFactory();
  private static final TableReference ORDERS =
      new TableReference().setProjectId("railyard-test").setDatasetId("warehouse").setTableId("orders");

  @Rule public final LoopbackOnly loopbackOnly = new LoopbackOnly();
  @Rule public final LoopbackBigQuery bigQuery = new LoopbackBigQuery();

  private BigQueryTables tables;
  private Table version1;

  @Before
  public void putVersion1Table() {
    BigQueryOptions options =
        PipelineOptionsFactory.fromArgs(
                "--bigQueryEndpoint=" + bigQuery.endpoint(),
                "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory")
            .as(BigQueryOptions.class);
    tables = BigQueryTables.of(options);
    version1 =
        new Table()
            .setTableReference(ORDERS)
            .setSchema(asBigQueryReportsIt(WarehouseTables.tableSchema(BigQueryWarehouseWriteTest.ORDERS)))
            .setTimePartitioning(WarehouseTables.dailyOnEventTime());
    bigQuery.put(version1);
  }

  /** tables.get names INT64, FLOAT64 and BOOL by their legacy names, and keeps descriptions. */
  private static TableSchema asBigQueryReportsIt(TableSchema schema) {
    for (TableFieldSchema field : schema.getFields()) {
      field.setType(
          Map.of("INT64", "INTEGER", "FLOAT64", "FLOAT", "BOOL", "BOOLEAN").getOrDefault(field.getType(), field.getType()));
      if (field.getName().equals("amount")) {
        field.setDescription("order total, EUR");
      }
    }
    return schema;
  }

  private static DeclaredSchema ordersWith(int version, FieldSpec... extra) {
    List<FieldSpec> fields = new ArrayList<>(BigQueryWarehouseWriteTest.ORDERS.fields());
    fields.addAll(List.of(extra));
    return new DeclaredSchema("orders", version, fields);
  }

  private static final DeclaredSchema VERSION_2 =
      new DeclaredSchema(
          "orders",
          2,
          withCoupon(),
          Map.of("coupon", 2),
          null);

  private static List<FieldSpec> withCoupon() {
    List<FieldSpec> fields = new ArrayList<>(BigQueryWarehouseWriteTest.ORDERS.fields());
    fields.add(FieldSpec.of("coupon", FieldKind.STRING));
    return fields;
  }

  private static List<String> json(List<TableFieldSchema> fields) throws IOException {
    List<String> rendered = new ArrayList<>();
    for (TableFieldSchema field : fields) {
      rendered.add(JSON.toString(field));
    }
    return rendered;
  }

  @Test
  public void aNullableFieldOfVersion2IsAppendedAfterTheTablesFieldsSentBackUnchanged() throws Exception {
    List<String> added = WarehouseTableEvolution.evolve(tables, ORDERS, VERSION_2);

    assertThat(added, contains("coupon"));
    LoopbackBigQuery.Request patch = bigQuery.requests("PATCH").get(0);
    Table body = JSON.fromString(patch.body(), Table.class);
    List<TableFieldSchema> sent = body.getSchema().getFields();
    List<TableFieldSchema> old = version1.getSchema().getFields();
    assertThat(json(sent.subList(0, old.size())), equalTo(json(old)));
    assertThat(
        json(sent.subList(old.size(), sent.size())),
        contains(JSON.toString(new TableFieldSchema().setName("coupon").setType("STRING").setMode("NULLABLE"))));
    assertThat("only the schema is sent", body.keySet(), contains("schema"));
    assertThat("the patch is on the table as read", patch.ifMatch(), equalTo("etag-1"));
  }

  @Test
  public void thePatchedTableKeepsItsDayPartitionsAndHasTheNewField() throws Exception {
    WarehouseTableEvolution.evolve(tables, ORDERS, VERSION_2);

    Table now = bigQuery.table(ORDERS);
    assertThat(now.getTimePartitioning().getType(), equalTo("DAY"));
    assertThat(now.getTimePartitioning().getField(), equalTo("_event_time"));
    List<TableFieldSchema> fields = now.getSchema().getFields();
    assertThat(fields.get(fields.size() - 1).getName(), equalTo("coupon"));
    assertThat(fields.size(), equalTo(version1.getSchema().getFields().size() + 1));
  }

  @Test
  public void aChangedTypeIsRefusedNamingTheFieldAndNothingIsPatched() {
    List<FieldSpec> fields = new ArrayList<>(withCoupon());
    fields.set(1, FieldSpec.of("amount", FieldKind.STRING));
    DeclaredSchema retyped = new DeclaredSchema("orders", 2, fields, Map.of("coupon", 2), null);

    IncompatibleSchemaException e =
        assertThrows(IncompatibleSchemaException.class, () -> WarehouseTableEvolution.evolve(tables, ORDERS, retyped));

    assertThat(
        e.getMessage(),
        containsString("field 'amount' is FLOAT64 NULLABLE in the BigQuery table, but the spec declares STRING NULLABLE"));
    assertThat(bigQuery.requests("PATCH"), empty());
  }

  @Test
  public void aRequiredAdditionIsRefusedNamingTheFieldAndNothingIsPatched() {
    DeclaredSchema required = ordersWith(2, FieldSpec.of("region", FieldKind.STRING).asRequired());

    IncompatibleSchemaException e =
        assertThrows(IncompatibleSchemaException.class, () -> WarehouseTableEvolution.evolve(tables, ORDERS, required));

    assertThat(e.getMessage(), containsString("field 'region' is new and REQUIRED"));
    assertThat(bigQuery.requests("PATCH"), empty());
  }

  @Test
  public void aMissingTableIsLeftForBigQueryIOToCreate() throws Exception {
    TableReference missing = ORDERS.clone().setTableId("returns");

    assertThat(WarehouseTableEvolution.evolve(tables, missing, VERSION_2), empty());

    assertThat(bigQuery.requests().size(), equalTo(1));
    assertThat(bigQuery.requests("GET").size(), equalTo(1));
    assertThat(bigQuery.table(missing), nullValue());
  }

  @Test
  public void anUpToDateTableIsNotPatched() throws Exception {
    assertThat(WarehouseTableEvolution.evolve(tables, ORDERS, BigQueryWarehouseWriteTest.ORDERS), empty());
    assertThat(bigQuery.requests("PATCH"), empty());
    assertThat(bigQuery.table(ORDERS).getEtag(), equalTo("etag-1"));
  }

  @Test
  public void aTableChangedAfterItWasReadIsNotOverwritten() throws Exception {
    Table read = tables.get(ORDERS);
    bigQuery.put(version1); // someone else changes the table: a new etag

    IOException e =
        assertThrows(
            IOException.class,
            () -> tables.patchSchema(ORDERS, read, asBigQueryReportsIt(WarehouseTables.tableSchema(VERSION_2))));

    assertThat(e.getMessage(), containsString("412"));
  }
}
