package railyard.io.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import railyard.schema.DeclaredSchema;

/**
 * Whether a spec's schema may follow the versions the catalog holds: each recorded version must
 * still be what the spec declares for it (no field removed, retyped, made required or slipped
 * into an old version), and the spec's version may not be older than the newest recorded.
 * Versions beyond the recorded ones only add nullable fields, which the spec reader enforces.
 */
final class SchemaCompatibility {
  private SchemaCompatibility() {}

  static void check(DeclaredSchema spec, List<SchemaVersion> recorded) {
    String table = spec.table();
    for (SchemaVersion old : recorded) {
      if (old.version() > spec.version()) {
        throw new IncompatibleSchemaException(
            String.format(
                "table '%s': the catalog holds schema version %d, newer than the spec's version %d"
                    + " (schema.version); a spec cannot go back to an older version",
                table, old.version(), spec.version()));
      }
      Map<String, Column> declared = byName(Column.of(spec.fieldsAt(old.version())));
      for (Column was : old.columns()) {
        Column now = declared.get(was.name());
        if (now == null) {
          boolean later = spec.field(was.name()).isPresent();
          throw incompatible(
              table,
              was.name(),
              old.version(),
              later
                  ? "is in version " + old.version() + " but the spec says it was added in version "
                      + spec.since(was.name())
                  : "was removed; fields cannot be removed, since old partitions hold them (keep"
                      + " it, and stop sending it if it is no longer needed)");
        }
        if (!now.type().equals(was.type())) {
          throw incompatible(
              table,
              was.name(),
              old.version(),
              "changes type from " + was.type() + " to " + now.type()
                  + "; add a field with a new name instead");
        }
        if (now.required() != was.required()) {
          throw incompatible(
              table,
              was.name(),
              old.version(),
              now.required()
                  ? "becomes required; records of version " + old.version() + " may lack it"
                  : "stops being required, which changes version " + old.version()
                      + "; declare a new field instead");
        }
      }
      Map<String, Column> wasByName = byName(old.columns());
      Optional<Column> added =
          declared.values().stream().filter(c -> !wasByName.containsKey(c.name())).findFirst();
      if (added.isPresent()) {
        throw incompatible(
            table,
            added.get().name(),
            old.version(),
            "is new, but version " + old.version() + " is already in the catalog without it;"
                + " raise schema.version and give the field since: " + (maxVersion(recorded) + 1));
      }
    }
  }

  private static int maxVersion(List<SchemaVersion> recorded) {
    return recorded.stream().mapToInt(SchemaVersion::version).max().orElse(0);
  }

  private static IncompatibleSchemaException incompatible(
      String table, String field, int version, String problem) {
    return new IncompatibleSchemaException(
        String.format(
            "incompatible schema change in table '%s': field '%s' %s (catalogued version %d)",
            table, field, problem, version));
  }

  private static Map<String, Column> byName(List<Column> columns) {
    return columns.stream().collect(Collectors.toMap(Column::name, Function.identity()));
  }
}
