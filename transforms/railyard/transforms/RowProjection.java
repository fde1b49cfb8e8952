package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/** Some fields of a schema, in the order named, and how to cut a row of it down to them. */
final class RowProjection implements Serializable {
  private final Schema schema;
  private final int[] indexes;

  private RowProjection(Schema schema, int[] indexes) {
    this.schema = schema;
    this.indexes = indexes;
  }

  static RowProjection of(Schema input, List<String> fields) {
    for (String field : fields) {
      checkArgument(
          input.hasField(field), "cannot keep field '%s': the rows have %s", field, input.getFieldNames());
    }
    return new RowProjection(
        Schema.builder().addFields(fields.stream().map(input::getField).toList()).build(),
        fields.stream().mapToInt(input::indexOf).toArray());
  }

  Schema schema() {
    return schema;
  }

  Row apply(Row row) {
    Object[] values = new Object[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      values[i] = row.getValue(indexes[i]);
    }
    return Row.withSchema(schema).attachValues(Arrays.asList(values));
  }
}
