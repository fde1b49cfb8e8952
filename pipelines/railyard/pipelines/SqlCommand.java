package railyard.pipelines;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import railyard.io.catalog.FileCatalog;
import railyard.io.sql.RawEventsTable;
import railyard.io.sql.ResultFormat;
import railyard.io.sql.SqlLimitException;
import railyard.io.sql.SqlLimits;
import railyard.io.sql.WarehouseSql;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecException;
import railyard.spec.SpecLoader;

/**
 * {@code railyard sql "SELECT …"} runs one query over the catalogued warehouse tables (one SQL
 * view each) and prints its rows; without a query it opens a prompt that runs each statement
 * ended by {@code ;} ({@code .tables} lists the views, {@code .quit} or end of input leaves).
 * Given the spec, its dead letters in the lake are the view {@code dead_letters} too, and with
 * {@code --lakeFrom}/{@code --lakeTo} its raw events of that receipt time range are the table
 * {@code raw_events} (without a range, reading {@code raw_events} fails saying how to give one).
 */
public final class SqlCommand {
  static final String USAGE =
      "usage: railyard sql [--warehouse=DIR] [--spec=FILE [--lake=DIR]"
          + " [--lakeFrom=INSTANT --lakeTo=INSTANT [--lakeMaxRows=N]]] [--format=table|csv|json]"
          + " [--maxRows=N] [--timeout=SECONDS] [\"SELECT …\"]";

  static final String RAW_EVENTS_NEEDS_RANGE =
      "raw_events reads the raw lake of a receipt time range [from, to) only: give --lakeFrom and"
          + " --lakeTo as UTC instants, e.g. --lakeFrom=2026-01-01T00:00:00Z"
          + " --lakeTo=2026-01-01T06:00:00Z";

  /** At most this many raw events are loaded into {@code raw_events} unless --lakeMaxRows says. */
  static final int DEFAULT_LAKE_MAX_ROWS = 1_000_000;

  private SqlCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command; returns 0 when every statement ran, 1 if one failed, 2 on bad arguments. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CommandArgs parsed;
    ResultFormat format;
    SqlLimits limits;
    LakeRange lakeRange;
    try {
      parsed =
          CommandArgs.parse(
              args,
              Set.of(
                  "warehouse", "spec", "lake", "lakeFrom", "lakeTo", "lakeMaxRows", "format",
                  "maxRows", "timeout"));
      lakeRange = LakeRange.of(parsed);
      format = ResultFormat.of(parsed.option("format", "table"));
      SqlLimits defaults = SqlLimits.interactive();
      limits =
          new SqlLimits(
              number(parsed, "maxRows", defaults.maxRows()),
              Duration.ofSeconds(number(parsed, "timeout", (int) defaults.timeout().toSeconds())),
              defaults.maxMemory());
    } catch (IllegalArgumentException | SpecException e) {
      err.println("railyard sql: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try (WarehouseSql sql = WarehouseSql.open(FileCatalog.at(parsed.warehouse()), limits)) {
      if (parsed.option("spec") != null) {
        PipelineSpec spec = SpecLoader.load(Path.of(parsed.option("spec")));
        String lake = parsed.option("lake", spec.outputs().lake());
        sql.addDeadLetters(lake, spec.name());
        if (lakeRange == null) {
          sql.refuseRawEvents(RAW_EVENTS_NEEDS_RANGE);
        } else {
          RawEventsTable.Load load =
              sql.addRawEvents(lake, spec.name(), lakeRange.from(), lakeRange.to(), lakeRange.maxRows());
          err.println(
              "raw_events: " + load.rows() + " events received in [" + lakeRange.from() + ", "
                  + lakeRange.to() + ") from " + load.filesOpened().size() + " lake files");
        }
      }
      if (!parsed.words().isEmpty()) {
        return runOne(sql, String.join(" ", parsed.words()), format, out, err) ? 0 : 1;
      }
      return prompt(sql, in, format, out, err);
    } catch (SQLException | IOException | UncheckedIOException e) {
      err.println("railyard sql: " + e.getMessage());
      return 1;
    }
  }

  /** The raw lake's receipt time range and row cap, or null when neither bound is given. */
  private record LakeRange(Instant from, Instant to, long maxRows) {
    static LakeRange of(CommandArgs parsed) {
      String from = parsed.option("lakeFrom");
      String to = parsed.option("lakeTo");
      if (from == null && to == null) {
        if (parsed.option("lakeMaxRows") != null) {
          throw new IllegalArgumentException("--lakeMaxRows needs --lakeFrom and --lakeTo");
        }
        return null;
      }
      if (from == null || to == null) {
        throw new IllegalArgumentException(RAW_EVENTS_NEEDS_RANGE);
      }
      if (parsed.option("spec") == null) {
        throw new IllegalArgumentException(
            "--lakeFrom and --lakeTo need --spec: the pipeline whose raw lake to read");
      }
      Instant start = instant("lakeFrom", from);
      Instant end = instant("lakeTo", to);
      if (!start.isBefore(end)) {
        throw new IllegalArgumentException(
            "--lakeFrom (" + from + ") must be before --lakeTo (" + to + ")");
      }
      int maxRows = number(parsed, "lakeMaxRows", DEFAULT_LAKE_MAX_ROWS);
      if (maxRows < 1) {
        throw new IllegalArgumentException("--lakeMaxRows must be 1 or more, was " + maxRows);
      }
      return new LakeRange(start, end, maxRows);
    }

    private static Instant instant(String name, String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--" + name + " must be a UTC instant like 2026-01-01T00:00:00Z, not '" + value + "'");
      }
    }
  }

  private static int number(CommandArgs parsed, String name, int fallback) {
    String value = parsed.option(name);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + value + "'");
    }
  }

  private static boolean runOne(
      WarehouseSql sql, String query, ResultFormat format, PrintStream out, PrintStream err) {
    try {
      format.write(sql.query(query), out);
      return true;
    } catch (SQLException | SqlLimitException e) {
      err.println("error: " + e.getMessage());
      return false;
    }
  }

  private static int prompt(
      WarehouseSql sql, InputStream in, ResultFormat format, PrintStream out, PrintStream err)
      throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    out.println("Railyard SQL (DuckDB) over tables: " + String.join(", ", sql.tables()));
    out.println("End each statement with ;  .tables lists the tables, .quit leaves.");
    StringBuilder statement = new StringBuilder();
    boolean allRan = true;
    while (true) {
      out.print(statement.length() == 0 ? "railyard> " : "      ...> ");
      out.flush();
      String line = lines.readLine();
      if (line == null || (statement.length() == 0 && line.strip().equals(".quit"))) {
        out.println();
        return allRan ? 0 : 1;
      }
      if (statement.length() == 0 && line.strip().equals(".tables")) {
        sql.tables().forEach(out::println);
        continue;
      }
      statement.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        allRan &= runOne(sql, statement.toString(), format, out, err);
        statement.setLength(0);
      }
    }
  }
}
