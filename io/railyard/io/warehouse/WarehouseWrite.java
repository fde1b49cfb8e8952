package railyard.io.warehouse;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import railyard.io.files.Checks;
import railyard.io.files.FileCadence;
import railyard.io.files.PartitionedFileWrite;
import railyard.io.files.Partitions;
import railyard.schema.DeclaredSchema;
import railyard.transforms.CountElements;
import railyard.transforms.RailyardMetrics;

/**
 * Writes warehouse rows as Parquet (the Avro schema {@link AvroUtils#toAvroSchema} makes of the
 * table's Beam schema) to write-once files at {@code <root>/<table>/dt=YYYY-MM-DD/<unique>.parquet},
 * partitioned by the row's {@code _event_time} in UTC. A batch write leaves out rows whose event id
 * their day partition holds already ({@link LeaveOutRowsWrittenBefore}). As in {@link
 * PartitionedFileWrite},
 * unbounded rows are cut into files by processing time, so every row is written however late its
 * event time is against the watermark.
 */
@AutoValue
public abstract class WarehouseWrite extends PTransform<PCollection<Row>, PCollection<KV<String, String>>> {

  public abstract @Nullable String getRoot();

  public abstract @Nullable String getTable();

  public abstract @Nullable Schema getSchema();

  public abstract FileCadence getCadence();

  abstract Builder toBuilder();

  public static WarehouseWrite create() {
    return new AutoValue_WarehouseWrite.Builder()
        .setCadence(FileCadence.defaults())
        .build();
  }

  /** The warehouse root, e.g. {@code gs://bucket/warehouse} or {@code /data/warehouse}. */
  public WarehouseWrite withRoot(String root) {
    return toBuilder().setRoot(root).build();
  }

  public WarehouseWrite withTable(String table) {
    return toBuilder().setTable(table).build();
  }

  /** The rows' schema, e.g. {@link DeclaredSchema#rowSchema()}; must hold {@code _event_time}. */
  public WarehouseWrite withSchema(Schema schema) {
    return toBuilder().setSchema(schema).build();
  }

  /** Files per day partition per pane of files; default 1. */
  public WarehouseWrite withNumShards(int numShards) {
    return toBuilder().setCadence(getCadence().withNumShards(numShards)).build();
  }

  /** How often (in processing time) unbounded input is cut into files; default 1 minute. */
  public WarehouseWrite withWindow(Duration window) {
    return toBuilder().setCadence(getCadence().withWindow(window)).build();
  }


  @Override
  public PCollection<KV<String, String>> expand(PCollection<Row> input) {
    checkArgument(
        getRoot() != null && !getRoot().isEmpty(), "WarehouseWrite needs withRoot(warehouseRoot)");
    checkArgument(
        Checks.isPathSegment(getTable()),
        "WarehouseWrite needs withTable(name), a single path segment; was %s",
        getTable());
    Schema schema = getSchema();
    checkArgument(schema != null, "WarehouseWrite needs withSchema(rowSchema)");
    checkArgument(
        schema.hasField(DeclaredSchema.EVENT_TIME)
            && schema.getField(DeclaredSchema.EVENT_TIME).getType().equals(Schema.FieldType.DATETIME),
        "withSchema(rowSchema) needs a non-null DATETIME field %s; was %s",
        DeclaredSchema.EVENT_TIME,
        schema);
    checkArgument(
        !input.hasSchema() || input.getSchema().equivalent(schema),
        "the rows' schema %s is not the one given to withSchema(...): %s",
        input.hasSchema() ? input.getSchema() : null,
        schema);

    org.apache.avro.Schema avroSchema = AvroUtils.toAvroSchema(schema);
    String table = Partitions.join(getRoot(), getTable());
    // Batch only: a batch run may repeat rows the table holds (a rerun, a backfill), and the join
    // needs the held ids whole; a stream's global window would never fire it (a stream's restart
    // is covered by its checkpoint and its source's offsets instead).
    PCollection<Row> rows =
        input.isBounded() == PCollection.IsBounded.BOUNDED
            ? input.apply("LeaveOutRowsWrittenBefore", LeaveOutRowsWrittenBefore.in(table, avroSchema))
            : input;
    return rows
        .apply(CountElements.as(RailyardMetrics.WAREHOUSE_ROWS))
        .apply(
            "WriteParquet",
            PartitionedFileWrite.<Row, GenericRecord>of(
                    row -> Partitions.daily(row.getDateTime(DeclaredSchema.EVENT_TIME).getMillis()),
                    row -> AvroUtils.toGenericRecord(row, avroSchema),
                    ParquetIO.sink(avroSchema),
                    ".parquet")
                .to(table)
                .withCadence(getCadence()));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRoot(String root);

    abstract Builder setTable(String table);

    abstract Builder setSchema(Schema schema);

    abstract Builder setCadence(FileCadence cadence);

    abstract WarehouseWrite build();
  }
}
