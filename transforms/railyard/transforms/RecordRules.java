package railyard.transforms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.values.Row;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/** The declared rules of a schema, applied to one parsed row: conform first, then check. */
final class RecordRules implements Serializable {
  private final DeclaredSchema declared;
  private transient List<Set<String>> allowed;

  RecordRules(DeclaredSchema declared) {
    this.declared = declared;
  }

  /** The row with its strings conformed (trimmed, lower-cased), or a rejection naming the rule. */
  Row apply(Row row) throws Rejection {
    List<FieldSpec> fields = declared.fields();
    List<Object> conformed = null;
    for (int i = 0; i < fields.size(); i++) {
      FieldSpec field = fields.get(i);
      Object value = row.getValue(i);
      if (value instanceof String text) {
        String clean = conform(field, text);
        if (!clean.equals(text)) {
          if (conformed == null) {
            conformed = new ArrayList<>(row.getValues());
          }
          conformed.set(i, clean);
          value = clean;
        }
      }
      check(field, i, value);
    }
    requirePresent(row, DeclaredSchema.EVENT_ID);
    requirePresent(row, DeclaredSchema.EVENT_TIME);
    checkFitsItsVersion(row);
    return conformed == null ? row : Row.withSchema(row.getSchema()).attachValues(conformed);
  }

  private static String conform(FieldSpec field, String text) {
    String clean = field.trim() ? text.strip() : text;
    return field.lowercase() ? clean.toLowerCase(Locale.ROOT) : clean;
  }

  private void check(FieldSpec field, int index, Object value) throws Rejection {
    if (value == null) {
      if (field.required()) {
        throw new Rejection(
            RejectReason.MISSING_REQUIRED, "field '" + field.name() + "' is required");
      }
      return;
    }
    if (field.kind().isNumeric()) {
      double number = ((Number) value).doubleValue();
      if ((field.min() != null && number < field.min())
          || (field.max() != null && number > field.max())) {
        throw new Rejection(
            RejectReason.OUT_OF_RANGE,
            "field '" + field.name() + "': " + value + " is outside [" + bound(field.min()) + ", "
                + bound(field.max()) + "]");
      }
    } else if (field.kind() == FieldKind.STRING) {
      String text = (String) value;
      if (field.maxLength() != null && text.length() > field.maxLength()) {
        throw new Rejection(
            RejectReason.TOO_LONG,
            "field '" + field.name() + "': " + text.length() + " characters; the limit is "
                + field.maxLength());
      }
      Set<String> accepted = allowed().get(index);
      if (accepted != null && !accepted.contains(text)) {
        throw new Rejection(
            RejectReason.NOT_ALLOWED,
            "field '" + field.name() + "': '" + abbreviate(text) + "' is not one of "
                + field.allowed());
      }
    }
  }

  /**
   * A record that names its schema version must name a declared one and carry no field added
   * after it: such a record fits no version of the schema.
   */
  private void checkFitsItsVersion(Row row) throws Rejection {
    if (declared.versionField() == null) {
      return;
    }
    Long named = row.getInt64(declared.versionField());
    if (named == null) {
      return;
    }
    if (named < 1 || named > declared.version()) {
      throw new Rejection(
          RejectReason.NO_SCHEMA_VERSION,
          "schema version " + named + " (field '" + declared.versionField() + "') is not declared;"
              + " versions are 1 to " + declared.version());
    }
    for (FieldSpec field : declared.fields()) {
      int since = declared.since(field.name());
      if (since > named && row.getValue(field.name()) != null) {
        throw new Rejection(
            RejectReason.NO_SCHEMA_VERSION,
            "field '" + field.name() + "' was added in schema version " + since
                + ", but the record is of version " + named);
      }
    }
  }

  private static void requirePresent(Row row, String systemField) throws Rejection {
    if (row.getValue(systemField) == null) {
      throw new Rejection(
          RejectReason.MISSING_REQUIRED,
          systemField.equals(DeclaredSchema.EVENT_ID)
              ? "the event-id field is required"
              : "the event-time field is required");
    }
  }

  private List<Set<String>> allowed() {
    if (allowed == null) {
      List<Set<String>> sets = new ArrayList<>();
      for (FieldSpec field : declared.fields()) {
        sets.add(field.allowed().isEmpty() ? null : new HashSet<>(field.allowed()));
      }
      allowed = sets;
    }
    return allowed;
  }

  private static String bound(Double value) {
    return value == null ? "…" : String.valueOf(value);
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
