package railyard.io.bigquery;

import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * The warehouse table in BigQuery: its schema made from the spec's declared schema (the declared
 * fields, then {@code _event_id}, {@code _event_time}, {@code _received_at}, {@code _source}, as
 * in {@link DeclaredSchema#rowSchema()}), its day partitions on the event time, and its rows.
 */
public final class WarehouseTables {
  private WarehouseTables() {}

  public static TableSchema tableSchema(DeclaredSchema declared) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (FieldSpec field : declared.fields()) {
      fields.add(field(field.name(), type(field.kind()), field.required()));
    }
    fields.add(field(DeclaredSchema.EVENT_ID, "STRING", true));
    fields.add(field(DeclaredSchema.EVENT_TIME, "TIMESTAMP", true));
    fields.add(field(DeclaredSchema.RECEIVED_AT, "TIMESTAMP", true));
    fields.add(field(DeclaredSchema.SOURCE, "STRING", true));
    return new TableSchema().setFields(fields);
  }

  /** One partition per UTC day of the event time, as the Parquet warehouse's {@code dt=}. */
  public static TimePartitioning dailyOnEventTime() {
    return new TimePartitioning().setType("DAY").setField(DeclaredSchema.EVENT_TIME);
  }

  static String type(FieldKind kind) {
    return switch (kind) {
      case STRING -> "STRING";
      case LONG -> "INT64";
      case DOUBLE -> "FLOAT64";
      case BOOLEAN -> "BOOL";
      case TIMESTAMP -> "TIMESTAMP";
    };
  }

  private static TableFieldSchema field(String name, String type, boolean required) {
    return new TableFieldSchema().setName(name).setType(type).setMode(required ? "REQUIRED" : "NULLABLE");
  }

  /**
   * A warehouse row as BigQuery's JSON row: INT64 as a decimal string and timestamps as ISO-8601
   * in UTC (both survive the JSON coding of {@link TableRow} exactly); nulls are left out.
   */
  public static TableRow toTableRow(Row row) {
    TableRow tableRow = new TableRow();
    for (Schema.Field field : row.getSchema().getFields()) {
      Object value = row.getValue(field.getName());
      if (value == null) {
        continue;
      }
      if (value instanceof ReadableInstant instant) {
        tableRow.set(field.getName(), instant.toInstant().toString());
      } else if (value instanceof Long number) {
        tableRow.set(field.getName(), number.toString());
      } else {
        tableRow.set(field.getName(), value);
      }
    }
    return tableRow;
  }
}
