package railyard.io.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How a query's rows are printed: an aligned table, CSV (RFC 4180) or a JSON array of objects. */
public enum ResultFormat {
  TABLE,
  CSV,
  JSON;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static ResultFormat of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format must be table, csv or json, not '" + name + "'");
    }
  }

  public void write(SqlResult result, PrintStream out) {
    switch (this) {
      case TABLE -> table(result, out);
      case CSV -> csv(result, out);
      case JSON -> json(result, out);
    }
    out.flush();
  }

  private static void table(SqlResult result, PrintStream out) {
    List<String> columns = result.columns();
    int[] widths = columns.stream().mapToInt(String::length).toArray();
    List<List<String>> cells = new ArrayList<>();
    for (List<Object> row : result.rows()) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i) == null ? "NULL" : String.valueOf(row.get(i));
        widths[i] = Math.max(widths[i], cell.length());
        line.add(cell);
      }
      cells.add(line);
    }
    out.println(line(columns, widths));
    StringBuilder rule = new StringBuilder();
    for (int width : widths) {
      rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(width));
    }
    out.println(rule);
    for (List<String> line : cells) {
      out.println(line(line, widths));
    }
    out.printf(
        "(%d row%s%s, %d ms)%n",
        result.rows().size(),
        result.rows().size() == 1 ? "" : "s",
        result.truncated() ? "; more left out at the row limit" : "",
        result.millis());
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      text.append(i == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, widths[i]) + "s", cells.get(i)));
    }
    return text.toString().stripTrailing();
  }

  private static void csv(SqlResult result, PrintStream out) {
    out.print(csvLine(new ArrayList<>(result.columns())));
    for (List<Object> row : result.rows()) {
      out.print(csvLine(row));
    }
  }

  private static String csvLine(List<?> cells) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      Object cell = cells.get(i);
      String value = cell == null ? "" : String.valueOf(cell);
      if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
        value = "\"" + value.replace("\"", "\"\"") + "\"";
      }
      text.append(i == 0 ? "" : ",").append(value);
    }
    return text.append("\r\n").toString();
  }

  private static void json(SqlResult result, PrintStream out) {
    try {
      JsonGenerator json = MAPPER.getFactory().createGenerator(out);
      json.writeStartArray();
      for (List<Object> row : result.rows()) {
        json.writeStartObject();
        for (int i = 0; i < row.size(); i++) {
          json.writeFieldName(result.columns().get(i));
          MAPPER.writeValue(json, row.get(i));
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.flush();
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
