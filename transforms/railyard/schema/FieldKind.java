package railyard.schema;

import org.apache.beam.sdk.schemas.Schema.FieldType;

/** The types a spec may declare for a field, and the Beam type each becomes. */
public enum FieldKind {
  STRING(FieldType.STRING),
  LONG(FieldType.INT64),
  DOUBLE(FieldType.DOUBLE),
  BOOLEAN(FieldType.BOOLEAN),
  TIMESTAMP(FieldType.DATETIME);

  private final FieldType beamType;

  FieldKind(FieldType beamType) {
    this.beamType = beamType;
  }

  public FieldType beamType() {
    return beamType;
  }

  public boolean isNumeric() {
    return this == LONG || this == DOUBLE;
  }
}
