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
import org.checkerframework.checker.nullness.qual.Nullable;
import railyard.io.catalog.IncompatibleSchemaException;
import railyard.schema.DeclaredSchema;

/**
 * Brings an existing BigQuery warehouse table up to a newer schema version of the spec: the
 * nullable fields the version adds are appended to the table's schema (BigQuery's own catalog of
 * the table), while a removed field, a changed type or mode, or a required addition is refused
 * naming the field. Old partitions read the added columns as null.
 *
 * <p>The launch calls it before the pipeline is built (see {@link BigQueryTables}), so every
 * Storage Write API stream the job opens is opened on the widened table.
 */
public final class WarehouseTableEvolution {
  /** The two table calls evolution needs: read a table, and replace its schema. */
  public interface Tables {
    /** The table, or null if it does not exist. */
    @Nullable
    Table get(TableReference table) throws IOException;

    /**
     * Replaces the schema of {@code table}, as {@code existing} (what {@link #get} returned) has
     * it, with {@code schema}, leaving everything else about the table as it is.
     */
    void patchSchema(TableReference table, Table existing, TableSchema schema) throws IOException;
  }

  private WarehouseTableEvolution() {}

  /**
   * The fields {@code table} lacks for {@code spec}, after checking that nothing else differs;
   * changes nothing. None for a missing table, which the write creates from the spec.
   */
  public static List<String> check(Tables tables, TableReference table, DeclaredSchema spec)
      throws IOException {
    Table existing = tables.get(table);
    return existing == null ? List.of() : names(added(existing.getSchema(), spec));
  }

  /**
   * Checks as {@link #check}, then appends the missing fields after the table's own, which are
   * sent back unchanged. Returns their names.
   */
  public static List<String> evolve(Tables tables, TableReference table, DeclaredSchema spec)
      throws IOException {
    Table existing = tables.get(table);
    if (existing == null) {
      return List.of();
    }
    List<TableFieldSchema> added = added(existing.getSchema(), spec);
    if (!added.isEmpty()) {
      List<TableFieldSchema> fields = new ArrayList<>(existing.getSchema().getFields());
      fields.addAll(added);
      tables.patchSchema(table, existing, new TableSchema().setFields(fields));
    }
    return names(added);
  }

  private static List<String> names(List<TableFieldSchema> fields) {
    return fields.stream().map(TableFieldSchema::getName).toList();
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
    return standardType(field.getType()) + " " + (field.getMode() == null ? "NULLABLE" : field.getMode());
  }

  // tables.get answers with the legacy names of the types a table was created with as INT64,
  // FLOAT64 and BOOL.
  private static String standardType(String type) {
    return switch (type) {
      case "INTEGER" -> "INT64";
      case "FLOAT" -> "FLOAT64";
      case "BOOLEAN" -> "BOOL";
      default -> type;
    };
  }

  private static IncompatibleSchemaException incompatible(DeclaredSchema spec, String field, String problem) {
    return new IncompatibleSchemaException(
        String.format(
            "incompatible schema change in BigQuery table '%s': field '%s' %s (spec version %d)",
            spec.table(), field, problem, spec.version()));
  }
}
