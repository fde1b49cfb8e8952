package railyard.transforms;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import railyard.schema.SqlViewSpec;

/**
 * Compiles an SQL view's statement against the prepared events' schema, without running it, and
 * checks that its columns fit the serving contract: every declared key and metric is a column,
 * metrics are numbers (or timestamps, served as epoch milliseconds), {@value
 * SqlViewSpec#EVENT_COUNT} is an integer, and no column is left unaccounted for.
 */
public final class SqlViewSchema {
  private static final Set<TypeName> NUMBERS =
      EnumSet.of(
          TypeName.BYTE,
          TypeName.INT16,
          TypeName.INT32,
          TypeName.INT64,
          TypeName.FLOAT,
          TypeName.DOUBLE,
          TypeName.DECIMAL);
  private static final Set<TypeName> INTEGERS =
      EnumSet.of(TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);

  private SqlViewSchema() {}

  /**
   * The schema of the rows {@code sql} makes from rows of {@code input}.
   *
   * @throws IllegalArgumentException naming the problem: the statement does not compile (with
   *     Beam SQL's own message, e.g. an unknown column), or its columns do not fit
   */
  public static Schema of(SqlViewSpec sql, Schema input) {
    Schema output = compile(sql.query(), input);
    check(sql, output);
    return output;
  }

  private static Schema compile(String query, Schema input) {
    Pipeline scratch = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> none =
        scratch.apply(Create.empty(RowCoder.of(input))).setRowSchema(input);
    try {
      return none.apply(SqlTransform.query(query)).getSchema();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the SQL does not compile: " + innermostMessage(e), e);
    }
  }

  /** Calcite wraps its precise message ("Column 'x' not found in any table") in several layers. */
  private static String innermostMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        message = cause.getMessage();
      }
    }
    // A parse error goes on to list every token the parser expected: its first line says where.
    return message == null ? e.getClass().getSimpleName() : message.trim().lines().findFirst().orElse("");
  }

  private static void check(SqlViewSpec sql, Schema output) {
    List<String> columns = output.getFieldNames();
    List<String> accounted = new ArrayList<>();
    for (String key : sql.keys()) {
      require(output, key, "key");
      accounted.add(key);
    }
    for (String metric : sql.metrics()) {
      require(output, metric, "metric");
      TypeName type = output.getField(metric).getType().getTypeName();
      if (!NUMBERS.contains(type) && type != TypeName.DATETIME) {
        throw new IllegalArgumentException(
            "metric '" + metric + "' is " + type + "; a metric must be a number or a timestamp");
      }
      accounted.add(metric);
    }
    if (!output.hasField(SqlViewSpec.EVENT_COUNT)) {
      throw new IllegalArgumentException(
          "the SELECT has no column "
              + SqlViewSpec.EVENT_COUNT
              + ": every serving row counts its events; add COUNT(*) AS "
              + SqlViewSpec.EVENT_COUNT);
    }
    if (!INTEGERS.contains(output.getField(SqlViewSpec.EVENT_COUNT).getType().getTypeName())) {
      throw new IllegalArgumentException(SqlViewSpec.EVENT_COUNT + " must be an integer count");
    }
    accounted.add(SqlViewSpec.EVENT_COUNT);
    for (String column : columns) {
      if (!accounted.contains(column)) {
        throw new IllegalArgumentException(
            "column '"
                + column
                + "' of the SELECT is neither a key, a metric nor "
                + SqlViewSpec.EVENT_COUNT
                + ": list it under keys or metrics, or leave it out of the SELECT");
      }
    }
  }

  private static void require(Schema output, String column, String role) {
    if (!output.hasField(column)) {
      throw new IllegalArgumentException(
          role
              + " '"
              + column
              + "' is not a column of the SELECT, whose columns are "
              + output.getFieldNames()
              + " (name each with AS)");
    }
  }
}
