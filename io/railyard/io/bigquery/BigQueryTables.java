package railyard.io.bigquery;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.auth.Credentials;
import com.google.auth.http.HttpCredentialsAdapter;
import java.io.IOException;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.extensions.gcp.util.Transport;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * BigQuery's {@code tables.get} and {@code tables.patch} through the BigQuery REST client that
 * BigQueryIO itself uses ({@code google-api-services-bigquery}), with the job's credentials and
 * Beam's {@code --bigQueryEndpoint} when it is set. Beam's {@code DatasetService} reads tables
 * but cannot change a schema, hence this client.
 */
public final class BigQueryTables implements WarehouseTableEvolution.Tables {
  private static final int TIMEOUT_MILLIS = 60_000;

  private final Bigquery client;

  private BigQueryTables(Bigquery client) {
    this.client = client;
  }

  /**
   * A client with the job's GCP credentials (none with Beam's {@code NoopCredentialFactory}) and
   * its {@code --bigQueryEndpoint}. No retries: a launch that cannot read the table stops.
   */
  public static BigQueryTables of(BigQueryOptions options) {
    @Nullable Credentials credentials = options.as(GcpOptions.class).getGcpCredential();
    @Nullable HttpCredentialsAdapter authorization =
        credentials == null ? null : new HttpCredentialsAdapter(credentials);
    HttpRequestInitializer initializer =
        request -> {
          if (authorization != null) {
            authorization.initialize(request);
          }
          request.setConnectTimeout(TIMEOUT_MILLIS).setReadTimeout(TIMEOUT_MILLIS);
        };
    Bigquery.Builder builder =
        new Bigquery.Builder(Transport.getTransport(), Transport.getJsonFactory(), initializer)
            .setApplicationName("railyard");
    String endpoint = options.getBigQueryEndpoint();
    if (endpoint != null && !endpoint.isEmpty()) {
      builder.setRootUrl(endpoint);
    }
    return new BigQueryTables(builder.build());
  }

  @Override
  public @Nullable Table get(TableReference table) throws IOException {
    try {
      return client.tables().get(table.getProjectId(), table.getDatasetId(), table.getTableId()).execute();
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Sends the schema alone, so the table's partitioning, clustering and options stay as they are;
   * {@code If-Match} with the etag read makes a concurrent change fail this patch (412) rather than
   * be overwritten.
   */
  @Override
  public void patchSchema(TableReference table, Table existing, TableSchema schema) throws IOException {
    Bigquery.Tables.Patch patch =
        client.tables().patch(table.getProjectId(), table.getDatasetId(), table.getTableId(), new Table().setSchema(schema));
    if (existing.getEtag() != null) {
      patch.getRequestHeaders().setIfMatch(existing.getEtag());
    }
    patch.execute();
  }
}
