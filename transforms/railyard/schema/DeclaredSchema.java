package railyard.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The schema a pipeline declares for its events, and the warehouse row built from it: the declared
 * fields, then the system columns every row carries.
 */
public record DeclaredSchema(String table, int version, List<FieldSpec> fields)
    implements Serializable {

  public static final String EVENT_ID = "_event_id";
  public static final String EVENT_TIME = "_event_time";
  public static final String RECEIVED_AT = "_received_at";
  public static final String SOURCE = "_source";

  public DeclaredSchema {
    fields = List.copyOf(fields);
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
