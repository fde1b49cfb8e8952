package railyard.io.warehouse;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/** An orders table, its rows, and a Parquet read of one of its partitions. */
final class WarehouseFixtures {
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
  static final Schema SCHEMA = ORDERS.rowSchema();

  private WarehouseFixtures() {}

  /** An order whose event time is {@code eventTime}; {@code amount} may be null. */
  static Row order(String id, Double amount, String eventTime) {
    Instant time = Instant.parse(eventTime);
    return Row.withSchema(SCHEMA)
        .addValues(
            id,
            amount,
            amount == null ? null : 2L,
            amount == null ? null : Boolean.TRUE,
            amount == null ? null : time.minus(1000),
            "evt-" + id,
            time,
            time.plus(250),
            "kafka:orders/0/" + id)
        .build();
  }

  static Instant eventTime(Row row) {
    return row.getDateTime(DeclaredSchema.EVENT_TIME).toInstant();
  }

  /** The rows of {@code <root>/orders/<partition>/}, read back with ParquetIO. */
  static PCollection<Row> readPartition(Pipeline pipeline, String root, String partition) {
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(SCHEMA);
    return pipeline
        .apply(
            "Read " + partition,
            ParquetIO.read(avro).from(root + "/orders/" + partition + "/*.parquet"))
        .apply(
            "ToRow " + partition,
            MapElements.into(TypeDescriptors.rows())
                .via(record -> AvroUtils.toBeamRowStrict(record, SCHEMA)))
        .setRowSchema(SCHEMA);
  }
}
