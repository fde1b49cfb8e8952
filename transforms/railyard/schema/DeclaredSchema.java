package railyard.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The schema a pipeline declares for its events, and the warehouse row built from it: the declared
 * fields, then the system columns every row carries.
 *
 * <p>Versions evolve by adding nullable fields: {@code since} gives the version that added a field
 * (absent: version 1), so every earlier version is this schema without its newer fields.
 *
 * @param since the version each field was added in, for fields added after version 1
 * @param versionField a declared long field in which a record may name the version it was written
 *     for, or null when records are read as the newest version
 */
public record DeclaredSchema(
    String table,
    int version,
    List<FieldSpec> fields,
    Map<String, Integer> since,
    @Nullable String versionField)
    implements Serializable {

  public static final String EVENT_ID = "_event_id";
  public static final String EVENT_TIME = "_event_time";
  public static final String RECEIVED_AT = "_received_at";
  public static final String SOURCE = "_source";

  public DeclaredSchema {
    fields = List.copyOf(fields);
    since = Map.copyOf(since);
  }

  /** A schema whose fields all date from version 1 and whose records name no version. */
  public DeclaredSchema(String table, int version, List<FieldSpec> fields) {
    this(table, version, fields, Map.of(), null);
  }

  /** The version that added {@code field}. */
  public int since(String field) {
    return since.getOrDefault(field, 1);
  }

  /** The fields of an earlier (or this) version: those added in it or before. */
  public List<FieldSpec> fieldsAt(int atVersion) {
    return fields.stream().filter(f -> since(f.name()) <= atVersion).toList();
  }

  public Optional<FieldSpec> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /**
   * The Beam schema of a warehouse row: the declared fields (nullable unless required), then the
   * system columns, never null.
   */
  public Schema rowSchema() {
    return schema(false);
  }

  /**
   * The schema of a row straight from parsing, before validation: every field nullable, since
   * validation is what decides a required value is missing.
   */
  public Schema parsedSchema() {
    return schema(true);
  }

  private Schema schema(boolean allNullable) {
    Schema.Builder builder = Schema.builder();
    for (FieldSpec field : fields) {
      builder.addField(
          Schema.Field.of(field.name(), field.kind().beamType())
              .withNullable(allNullable || !field.required()));
    }
    return builder
        .addField(Schema.Field.of(EVENT_ID, Schema.FieldType.STRING).withNullable(allNullable))
        .addField(Schema.Field.of(EVENT_TIME, Schema.FieldType.DATETIME).withNullable(allNullable))
        .addDateTimeField(RECEIVED_AT)
        .addStringField(SOURCE)
        .build();
  }
}
