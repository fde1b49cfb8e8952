package railyard.io.catalog;

import java.util.List;

/**
 * One version of a table's declared schema as the catalog keeps it, with the spec that declared it
 * first.
 *
 * @param registeredAt when a run first wrote this version, ISO-8601 UTC
 */
public record SchemaVersion(
    int version, List<Column> columns, String pipeline, String specFile, String registeredAt) {

  public SchemaVersion {
    columns = List.copyOf(columns);
  }
}
