package railyard.io.bigquery;

import com.google.api.services.bigquery.model.TableRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.extensions.gcp.util.Transport;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import railyard.model.DeadLetter;
import railyard.schema.DeclaredSchema;

/**
 * A row BigQuery refused, as a dead letter of stage {@code sink}: the warehouse row itself as JSON
 * is the payload (the raw bytes are not carried this far), with BigQuery's error as the message.
 */
class RejectedRowFn extends DoFn<BigQueryStorageApiInsertError, DeadLetter> {
  static final String REASON = "bigquery_rejected";

  /** The rows a Storage Write API write refused, as sink dead letters. */
  static PCollection<DeadLetter> deadLettersOf(WriteResult result) {
    return result
        .getFailedStorageApiInserts()
        .apply("RejectedRows", ParDo.of(new RejectedRowFn()))
        .setCoder(DeadLetter.DeadLetterCoder.of());
  }

  @ProcessElement
  public void process(@Element BigQueryStorageApiInsertError error, OutputReceiver<DeadLetter> out)
      throws IOException {
    TableRow row = error.getRow();
    long now = System.currentTimeMillis();
    String message = error.getErrorMessage();
    out.output(
        new DeadLetter(
            DeadLetter.Stage.SINK,
            REASON,
            message == null || message.isEmpty() ? "BigQuery refused the row" : message,
            Transport.getJsonFactory().toString(row).getBytes(StandardCharsets.UTF_8),
            row.get(DeclaredSchema.SOURCE) == null ? "" : String.valueOf(row.get(DeclaredSchema.SOURCE)),
            receivedAt(row, now),
            now));
  }

  /** The row's receipt time; a row without one (a serving row) is filed under now. */
  private static long receivedAt(TableRow row, long now) {
    Object value = row.get(DeclaredSchema.RECEIVED_AT);
    if (value == null) {
      return now;
    }
    try {
      return Instant.parse(value.toString()).getMillis();
    } catch (IllegalArgumentException e) {
      return now;
    }
  }
}
