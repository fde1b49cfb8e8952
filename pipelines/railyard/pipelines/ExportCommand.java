package railyard.pipelines;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Set;
import railyard.io.catalog.FileCatalog;
import railyard.io.sql.RawEventsTable;
import railyard.io.sql.SqlLimits;
import railyard.io.sql.WarehouseExport;
import railyard.io.sql.WarehouseSql;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecException;
import railyard.spec.SpecLoader;

/**
 * {@code railyard export --table=T --from=… --to=… --out=FILE [--format=parquet|csv]}: one warehouse
 * table's rows of an event-time range in one file, for a notebook; {@code --table=raw_events} with
 * the spec exports its raw lake's events of a receipt time range instead.
 */
public final class ExportCommand {
  static final String USAGE =
      "usage: railyard export --table=NAME --from=ISO-8601 --to=ISO-8601 --out=FILE"
          + " [--format=parquet|csv] [--warehouse=DIR | --spec=FILE]\n"
          + "       railyard export --table=raw_events --spec=FILE [--lake=DIR] --from=ISO-8601"
          + " --to=ISO-8601 --out=FILE [--format=parquet|csv] [--lakeMaxRows=N]";

  private ExportCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the export; returns 0 when written, 1 when it failed, 2 on bad arguments. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      CommandArgs parsed =
          CommandArgs.parse(args, Set.of(
                  "table", "from", "to", "out", "format", "warehouse", "spec", "lake",
                  "lakeMaxRows"));
      String table = required(parsed, "table");
      Instant from = instant(parsed, "from");
      Instant to = instant(parsed, "to");
      Path file = Path.of(required(parsed, "out"));
      WarehouseExport.Format format = WarehouseExport.Format.of(parsed.option("format", "parquet"));
      try (WarehouseSql sql =
          WarehouseSql.open(FileCatalog.at(parsed.warehouse()), SqlLimits.interactive())) {
        long rows =
            table.equals(RawEventsTable.RAW_EVENTS)
                ? exportRawEvents(sql, parsed, from, to, format, file)
                : WarehouseExport.export(sql, table, from, to, format, file);
        out.printf("%,d rows of %s in [%s, %s) written to %s%n", rows, table, from, to, file);
        return 0;
      } catch (SQLException e) {
        err.println("railyard export: " + e.getMessage());
        return 1;
      }
    } catch (IllegalArgumentException | SpecException e) {
      err.println("railyard export: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
  }

  private static long exportRawEvents(
      WarehouseSql sql,
      CommandArgs parsed,
      Instant from,
      Instant to,
      WarehouseExport.Format format,
      Path file)
      throws SQLException {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("--to must be after --from");
    }
    PipelineSpec spec = SpecLoader.load(Path.of(required(parsed, "spec")));
    String maxRows = parsed.option("lakeMaxRows", String.valueOf(SqlCommand.DEFAULT_LAKE_MAX_ROWS));
    long limit;
    try {
      limit = Long.parseLong(maxRows);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--lakeMaxRows must be a whole number, not '" + maxRows + "'");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("--lakeMaxRows must be 1 or more, was " + limit);
    }
    sql.addRawEvents(parsed.option("lake", spec.outputs().lake()), spec.name(), from, to, limit);
    return WarehouseExport.exportRawEvents(sql, format, file);
  }

  private static String required(CommandArgs parsed, String name) {
    String value = parsed.option(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static Instant instant(CommandArgs parsed, String name) {
    String value = required(parsed, name);
    try {
      return Instant.parse(value);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, not '" + value + "'");
    }
  }
}
