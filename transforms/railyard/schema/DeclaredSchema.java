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
   * The Beam schema of a warehouse row: the declared fields, then the system columns. Declared
   * fields are nullable in the row because parsing builds the row before validation decides what
   * is required; validation guarantees required ones are set.
   */
  public Schema rowSchema() {
    Schema.Builder builder = Schema.builder();
    for (FieldSpec field : fields) {
      builder.addNullableField(field.name(), field.kind().beamType());
    }
    return builder
        .addNullableField(EVENT_ID, Schema.FieldType.STRING)
        .addNullableField(EVENT_TIME, Schema.FieldType.DATETIME)
        .addDateTimeField(RECEIVED_AT)
        .addStringField(SOURCE)
        .build();
  }
}
