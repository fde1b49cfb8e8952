package railyard.pipelines;

import railyard.io.bigquery.BigQueryLocation;
import railyard.io.catalog.FileCatalog;
import railyard.spec.PipelineSpec;

/**
 * The launch-time side of the catalog: a spec's schema is checked against the versions its
 * warehouse already catalogues, and registered before the job writes a row. A BigQuery warehouse
 * is catalogued by BigQuery's own dataset metadata instead; a Parquet warehouse on an object store
 * ({@code gs://}, {@code s3://}) has no file catalog.
 */
final class WarehouseCatalog {
  private WarehouseCatalog() {}

  /** Fails with a message naming the field if the spec's schema cannot follow the catalog's. */
  static void check(PipelineSpec spec) {
    if (catalogued(spec)) {
      FileCatalog.at(spec.outputs().warehouse()).checkCompatible(spec.schema());
    }
  }

  /** Checks, then records the spec's schema versions the catalog does not hold yet. */
  static void register(PipelineSpec spec) {
    if (catalogued(spec)) {
      FileCatalog.at(spec.outputs().warehouse()).register(spec.schema(), spec.name(), spec.file());
    }
  }

  /** Whether the spec's warehouse keeps a file catalog: Parquet on a local or mounted directory. */
  static boolean catalogued(PipelineSpec spec) {
    String warehouse = spec.outputs().warehouse();
    return !BigQueryLocation.isBigQuery(warehouse) && FileCatalog.supports(warehouse);
  }
}
