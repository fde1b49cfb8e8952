package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Keeps only the named fields of each row, in the order named, with their timestamps. Views read a
 * few fields of wide rows; projecting once, before the rows fan out to every view, means each
 * view's shuffle and sort carry tens of bytes per event instead of the whole record.
 */
final class ProjectFields extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final List<String> fields;

  ProjectFields(List<String> fields) {
    this.fields = List.copyOf(fields);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    Schema input = rows.getSchema();
    for (String field : fields) {
      checkArgument(input.hasField(field), "cannot keep field '%s': the rows have %s", field, input.getFieldNames());
    }
    Schema projected = Schema.builder().addFields(fields.stream().map(input::getField).toList()).build();
    int[] indexes = fields.stream().mapToInt(input::indexOf).toArray();
    return rows.apply("Project", ParDo.of(new ProjectFn(projected, indexes)))
        .setCoder(RowCoder.of(projected));
  }

  private static final class ProjectFn extends DoFn<Row, Row> {
    private final Schema projected;
    private final int[] indexes;

    ProjectFn(Schema projected, int[] indexes) {
      this.projected = projected;
      this.indexes = indexes;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      Object[] values = new Object[indexes.length];
      for (int i = 0; i < indexes.length; i++) {
        values[i] = row.getValue(indexes[i]);
      }
      out.output(Row.withSchema(projected).attachValues(Arrays.asList(values)));
    }
  }
}
