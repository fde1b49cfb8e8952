package railyard.io.bigquery;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import railyard.io.warehouse.WarehouseWrite;
import railyard.model.DeadLetter;
import railyard.schema.DeclaredSchema;

/**
 * Writes warehouse rows to a BigQuery table through the Storage Write API, the counterpart of the
 * Parquet {@link WarehouseWrite}. The table is created when missing, from the spec's declared
 * schema ({@link WarehouseTables#tableSchema}), partitioned by day on {@code _event_time}.
 *
 * <p>Bounded input is written exactly once (pending streams committed at the end). Unbounded input
 * is exactly once by default (committed every {@link #withTriggeringFrequency triggering
 * frequency}); {@link #withAtLeastOnce()} trades that for lower latency and cost, and may write a
 * row twice after a retry.
 *
 * <p>Rows BigQuery refuses are the output: dead letters of stage {@code sink}, reason {@code
 * bigquery_rejected}, with BigQuery's message and the row as JSON.
 *
 * <pre>{@code
 * rows.apply(BigQueryWarehouseWrite.create()
 *         .to(BigQueryLocation.parse("bigquery:my-project:railyard"))
 *         .withSchema(spec.schema()))
 *     .apply(DeadLetterWrite.create().withRoot(lake).withPipelineName(name));
 * }</pre>
 */
@AutoValue
public abstract class BigQueryWarehouseWrite
    extends PTransform<PCollection<Row>, PCollection<DeadLetter>> {

  static final Duration DEFAULT_TRIGGERING_FREQUENCY = Duration.standardSeconds(5);

  public abstract @Nullable BigQueryLocation getLocation();

  public abstract @Nullable DeclaredSchema getSchema();

  public abstract boolean getAtLeastOnce();

  public abstract Duration getTriggeringFrequency();

  public abstract int getNumStreams();

  abstract @Nullable BigQueryServices getTestServices();

  abstract Builder toBuilder();

  public static BigQueryWarehouseWrite create() {
    return new AutoValue_BigQueryWarehouseWrite.Builder()
        .setAtLeastOnce(false)
        .setTriggeringFrequency(DEFAULT_TRIGGERING_FREQUENCY)
        .setNumStreams(1)
        .build();
  }

  /** The dataset; the table is named by the schema's {@code table}. */
  public BigQueryWarehouseWrite to(BigQueryLocation location) {
    return toBuilder().setLocation(location).build();
  }

  /** The spec's declared schema: the table's columns and its name. */
  public BigQueryWarehouseWrite withSchema(DeclaredSchema schema) {
    return toBuilder().setSchema(schema).build();
  }

  /** Streaming only: at-least-once appends (no commit step, rows visible at once). */
  public BigQueryWarehouseWrite withAtLeastOnce() {
    return toBuilder().setAtLeastOnce(true).build();
  }

  /** Streaming, exactly once: how often appended rows are committed; default 5 seconds. */
  public BigQueryWarehouseWrite withTriggeringFrequency(Duration frequency) {
    return toBuilder().setTriggeringFrequency(frequency).build();
  }

  /** Streaming, exactly once: write streams per table; default 1. */
  public BigQueryWarehouseWrite withNumStreams(int numStreams) {
    return toBuilder().setNumStreams(numStreams).build();
  }

  /** BigQuery services to use instead of Google's, e.g. Beam's {@code FakeBigQueryServices}. */
  public BigQueryWarehouseWrite withTestServices(BigQueryServices services) {
    return toBuilder().setTestServices(services).build();
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<Row> input) {
    checkArgument(getLocation() != null, "BigQueryWarehouseWrite needs to(BigQueryLocation)");
    DeclaredSchema schema = getSchema();
    checkArgument(schema != null, "BigQueryWarehouseWrite needs withSchema(declaredSchema)");
    checkArgument(
        !input.hasSchema() || input.getSchema().equivalent(schema.rowSchema()),
        "the rows' schema %s is not the warehouse row of withSchema(...): %s",
        input.hasSchema() ? input.getSchema() : null,
        schema.rowSchema());
    checkArgument(
        getTriggeringFrequency().getMillis() > 0,
        "withTriggeringFrequency(...) must be positive; was %s",
        getTriggeringFrequency());
    checkArgument(getNumStreams() > 0, "withNumStreams(...) must be positive; was %s", getNumStreams());
    boolean unbounded = input.isBounded() == PCollection.IsBounded.UNBOUNDED;

    BigQueryIO.Write<Row> write =
        BigQueryIO.<Row>write()
            .to(getLocation().tableSpec(schema.table()))
            .withSchema(WarehouseTables.tableSchema(schema))
            .withTimePartitioning(WarehouseTables.dailyOnEventTime())
            .withFormatFunction(WarehouseTables::toTableRow)
            .withFormatRecordOnFailureFunction(WarehouseTables::toTableRow)
            .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
            .withWriteDisposition(WriteDisposition.WRITE_APPEND)
            .withMethod(
                unbounded && getAtLeastOnce()
                    ? Method.STORAGE_API_AT_LEAST_ONCE
                    : Method.STORAGE_WRITE_API);
    if (unbounded && !getAtLeastOnce()) {
      write =
          write
              .withTriggeringFrequency(getTriggeringFrequency())
              .withNumStorageWriteApiStreams(getNumStreams());
    }
    if (getTestServices() != null) {
      write = write.withTestServices(getTestServices());
    }
    return RejectedRowFn.deadLettersOf(input.apply("WriteToBigQuery", write));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setLocation(BigQueryLocation location);

    abstract Builder setSchema(DeclaredSchema schema);

    abstract Builder setAtLeastOnce(boolean atLeastOnce);

    abstract Builder setTriggeringFrequency(Duration frequency);

    abstract Builder setNumStreams(int numStreams);

    abstract Builder setTestServices(BigQueryServices services);

    abstract BigQueryWarehouseWrite build();
  }
}
