package railyard.io.bigquery;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.RowMutationInformation;
import org.apache.beam.sdk.io.gcp.bigquery.RowMutationInformation.MutationType;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import railyard.model.DeadLetter;
import railyard.model.ServingRow;

/**
 * Serves view rows from a BigQuery table, {@code <project>:<dataset>.serving}, with the serving
 * contract of the other stores: one row per (view, key, window, layer), idempotent, an older pane
 * never replacing a newer one. Each row is a Storage Write API change-data-capture UPSERT on that
 * primary key with {@link ServingTables#changeSequence} as its sequence; BigQuery keeps the
 * highest, whatever the order rows arrive in, so at-least-once delivery is enough. The table is
 * created when missing; the lambda merge is the view {@link ServingTables#mergedViewDdl}, created
 * once by the operator. Rows BigQuery refuses are the output, as {@code sink} dead letters.
 */
@AutoValue
public abstract class BigQueryServingWrite
    extends PTransform<PCollection<ServingRow>, PCollection<DeadLetter>> {
  public static final String TABLE = "serving";

  public abstract @Nullable BigQueryLocation getLocation();

  abstract @Nullable BigQueryServices getTestServices();

  abstract Builder toBuilder();

  public static BigQueryServingWrite create() {
    return new AutoValue_BigQueryServingWrite.Builder().build();
  }

  public BigQueryServingWrite to(BigQueryLocation location) {
    return toBuilder().setLocation(location).build();
  }

  /** BigQuery services to use instead of Google's, e.g. Beam's {@code FakeBigQueryServices}. */
  public BigQueryServingWrite withTestServices(BigQueryServices services) {
    return toBuilder().setTestServices(services).build();
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<ServingRow> rows) {
    checkArgument(getLocation() != null, "BigQueryServingWrite needs to(BigQueryLocation)");
    BigQueryIO.Write<ServingRow> write =
        BigQueryIO.<ServingRow>write()
            .to(getLocation().tableSpec(TABLE))
            .withSchema(ServingTables.tableSchema())
            .withPrimaryKey(ServingTables.PRIMARY_KEY)
            .withFormatFunction(ServingTables::toTableRow)
            .withFormatRecordOnFailureFunction(ServingTables::toTableRow)
            .withRowMutationInformationFn(
                row -> RowMutationInformation.of(MutationType.UPSERT, ServingTables.changeSequence(row)))
            .withMethod(Method.STORAGE_API_AT_LEAST_ONCE)
            .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
            .withWriteDisposition(WriteDisposition.WRITE_APPEND);
    if (getTestServices() != null) {
      write = write.withTestServices(getTestServices());
    }
    return RejectedRowFn.deadLettersOf(rows.apply("UpsertToBigQuery", write));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setLocation(BigQueryLocation location);

    abstract Builder setTestServices(BigQueryServices services);

    abstract BigQueryServingWrite build();
  }
}
