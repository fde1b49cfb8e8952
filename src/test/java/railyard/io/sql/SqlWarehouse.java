package railyard.io.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import railyard.io.catalog.FileCatalog;
import railyard.io.catalog.RecordInCatalog;
import railyard.io.warehouse.WarehouseWrite;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * A catalogued warehouse with an {@code orders} table, written by the real warehouse write and
 * catalogue step: version 1 has {@code order_id} and {@code amount}; version 2 adds a nullable
 * {@code coupon}.
 */
public final class SqlWarehouse {
  public static final DeclaredSchema V1 =
      new DeclaredSchema(
          "orders",
          1,
          List.of(
              FieldSpec.of("order_id", FieldKind.STRING).asRequired(),
              FieldSpec.of("amount", FieldKind.DOUBLE)));
  public static final DeclaredSchema V2 =
      new DeclaredSchema(
          "orders",
          2,
          List.of(
              FieldSpec.of("order_id", FieldKind.STRING).asRequired(),
              FieldSpec.of("amount", FieldKind.DOUBLE),
              FieldSpec.of("coupon", FieldKind.STRING)),
          Map.of("coupon", 2),
          null);

  private SqlWarehouse() {}

  /** An order of {@code schema} at {@code eventTime}; {@code coupon} only for version 2. */
  public static Row order(DeclaredSchema schema, String id, double amount, String coupon, String eventTime) {
    Instant time = Instant.parse(eventTime);
    List<Object> values = new ArrayList<>(List.of(id, amount));
    if (schema.version() == 2) {
      values.add(coupon);
    }
    values.addAll(List.of("evt-" + id, time, time.plus(100), "test"));
    return Row.withSchema(schema.rowSchema()).addValues(values).build();
  }

  /** Registers {@code schema} in the catalog of {@code root} and writes {@code rows} in batch. */
  public static void write(String root, DeclaredSchema schema, List<Row> rows) {
    FileCatalog.at(root).register(schema, "orders-pipeline", "orders.yaml");
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(Create.of(rows).withRowSchema(schema.rowSchema()))
        .apply(WarehouseWrite.create().withRoot(root).withTable("orders").withSchema(schema.rowSchema()))
        .apply(RecordInCatalog.of(root, "orders", schema.version()));
    pipeline.run().waitUntilFinish();
  }

  /** Two days of version-1 orders: a1 and a2 on 2026-01-01, b1 on 2026-01-02. */
  public static void twoDays(String root) {
    write(
        root,
        V1,
        List.of(
            order(V1, "a1", 10.0, null, "2026-01-01T10:00:00Z"),
            order(V1, "a2", 5.5, null, "2026-01-01T23:59:59Z"),
            order(V1, "b1", 7.0, null, "2026-01-02T00:00:01Z")));
  }
}
