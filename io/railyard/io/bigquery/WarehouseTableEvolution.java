package railyard.io.bigquery;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.DatasetService;
import railyard.io.catalog.IncompatibleSchemaException;
import railyard.schema.DeclaredSchema;

/**
 * Brings an existing BigQuery warehouse table up to a newer schema version of the spec: the
 * nullable fields the version adds are appended to the table's schema (BigQuery's own catalog of
 * the table), while a removed field, a changed type or mode, or a required addition is refused
 * naming the field. Old partitions read the added columns as null.
 *
 * <p>Not yet called at launch: applying the new schema needs BigQuery's {@code tables.patch},
 * which Beam 2.62's {@code DatasetService} does not offer, so the caller supplies it as a {@link
 * SchemaUpdate} (Beam's fake dataset service has one for tests).
 */
public final class WarehouseTableEvolution {
  /** Replaces a table's schema with a wider one. */
  public interface SchemaUpdate {
    void apply(TableReference table, TableSchema schema) throws IOException;
  }

  private WarehouseTableEvolution() {}

  /**
   * The fields to add to {@code table} for {@code spec}, after checking that nothing else differs;
   * applies them through {@code update} if any. Returns their names; none for a missing table,
   * which the write creates from the spec.
   */
  public static List<String> evolve(
      DatasetService datasets, SchemaUpdate update, TableReference table, DeclaredSchema spec)
      throws IOException, InterruptedException {
    Table existing = datasets.getTable(table);
    if (existing == null) {
      return List.of();
    }
    List<TableFieldSchema> added = added(existing.getSchema(), spec);
    if (!added.isEmpty()) {
      List<TableFieldSchema> fields = new ArrayList<>(existing.getSchema().getFields());
      fields.addAll(added);
      update.apply(table, new TableSchema().setFields(fields));
    }
    return added.stream().map(TableFieldSchema::getName).toList();
  }

  /** The spec's fields missing from {@code existing}; throws naming a field that cannot follow. */
  static List<TableFieldSchema> added(TableSchema existing, DeclaredSchema spec) {
    Map<String, TableFieldSchema> declared = new LinkedHashMap<>();
    for (TableFieldSchema field : WarehouseTables.tableSchema(spec).getFields()) {
      declared.put(field.getName(), field);
    }
    Map<String, TableFieldSchema> present = new LinkedHashMap<>();
    for (TableFieldSchema field : existing.getFields()) {
      present.put(field.getName(), field);
      TableFieldSchema wanted = declared.get(field.getName());
      if (wanted == null) {
        throw incompatible(spec, field.getName(), "is in the BigQuery table but not in the spec; fields cannot be removed");
      }
      if (!describe(wanted).equals(describe(field))) {
        throw incompatible(
            spec,
            field.getName(),
            "is " + describe(field) + " in the BigQuery table, but the spec declares " + describe(wanted));
      }
    }
    List<TableFieldSchema> added = new ArrayList<>();
    for (TableFieldSchema field : declared.values()) {
      if (!present.containsKey(field.getName())) {
        if (!"NULLABLE".equals(field.getMode())) {
          throw incompatible(spec, field.getName(), "is new and REQUIRED; only nullable fields can be added");
        }
        added.add(field);
      }
    }
    return added;
  }

  private static String describe(TableFieldSchema field) {
    return field.getType() + " " + (field.getMode() == null ? "NULLABLE" : field.getMode());
  }

  private static IncompatibleSchemaException incompatible(DeclaredSchema spec, String field, String problem) {
    return new IncompatibleSchemaException(
        String.format(
            "incompatible schema change in BigQuery table '%s': field '%s' %s (spec version %d)",
            spec.table(), field, problem, spec.version()));
  }
}
