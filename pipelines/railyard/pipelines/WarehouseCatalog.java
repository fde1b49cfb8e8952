package railyard.pipelines;

import com.google.api.services.bigquery.model.TableReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.io.bigquery.BigQueryLocation;
import railyard.io.bigquery.BigQueryTables;
import railyard.io.bigquery.WarehouseTableEvolution;
import railyard.io.catalog.FileCatalog;
import railyard.spec.PipelineSpec;

/**
 * The launch-time side of the catalog: a spec's schema is checked against the versions its
 * warehouse already catalogues, and registered before the job writes a row. A BigQuery warehouse
 * is catalogued by BigQuery's own table metadata: its table gains the nullable fields a new
 * version adds. A Parquet warehouse on an object store ({@code gs://}, {@code s3://}) has no
 * catalog.
 */
final class WarehouseCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseCatalog.class);

  private WarehouseCatalog() {}

  /** Fails with a message naming the field if the spec's schema cannot follow the catalog's. */
  static void check(PipelineSpec spec, PipelineOptions options) {
    if (catalogued(spec)) {
      FileCatalog.at(spec.outputs().warehouse()).checkCompatible(spec.schema());
    } else if (BigQueryLocation.isBigQuery(spec.outputs().warehouse())) {
      BigQueryTable table = new BigQueryTable(spec, options);
      try {
        WarehouseTableEvolution.check(table.client, table.reference(), spec.schema());
      } catch (IOException e) {
        throw table.unreadable(e);
      }
    }
  }

  /**
   * Checks, then records the spec's schema versions the catalog does not hold yet; on BigQuery,
   * appends the fields they add to the table before any write stream is opened on it.
   */
  static void register(PipelineSpec spec, PipelineOptions options) {
    if (catalogued(spec)) {
      FileCatalog.at(spec.outputs().warehouse()).register(spec.schema(), spec.name(), spec.file());
    } else if (BigQueryLocation.isBigQuery(spec.outputs().warehouse())) {
      BigQueryTable table = new BigQueryTable(spec, options);
      try {
        List<String> added = WarehouseTableEvolution.evolve(table.client, table.reference(), spec.schema());
        if (!added.isEmpty()) {
          LOG.info("BigQuery table {} gained nullable fields {} (schema version {})",
              table.name(), added, spec.schema().version());
        }
      } catch (IOException e) {
        throw table.unreadable(e);
      }
    }
  }

  /** Whether the spec's warehouse keeps a file catalog: Parquet on a local or mounted directory. */
  static boolean catalogued(PipelineSpec spec) {
    String warehouse = spec.outputs().warehouse();
    return !BigQueryLocation.isBigQuery(warehouse) && FileCatalog.supports(warehouse);
  }

  /** The spec's warehouse table in BigQuery and the client that reaches it. */
  private record BigQueryTable(PipelineSpec spec, BigQueryLocation location, BigQueryTables client) {
    BigQueryTable(PipelineSpec spec, PipelineOptions options) {
      this(spec, BigQueryLocation.parse(spec.outputs().warehouse()), BigQueryTables.of(options.as(BigQueryOptions.class)));
    }

    TableReference reference() {
      return location.tableReference(spec.schema().table());
    }

    String name() {
      return location.tableSpec(spec.schema().table());
    }

    UncheckedIOException unreadable(IOException e) {
      return new UncheckedIOException(
          "cannot bring BigQuery table " + name() + " to schema version " + spec.schema().version() + ": " + e.getMessage(),
          e);
    }
  }
}
