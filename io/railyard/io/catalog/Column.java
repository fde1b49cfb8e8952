package railyard.io.catalog;

import java.util.List;
import railyard.schema.FieldSpec;

/** One declared column of a catalogued table version: its name, type and whether it is required. */
public record Column(String name, String type, boolean required) {

  static List<Column> of(List<FieldSpec> fields) {
    return fields.stream()
        .map(f -> new Column(f.name(), f.kind().name().toLowerCase(java.util.Locale.ROOT), f.required()))
        .toList();
  }
}
