package railyard.pipelines;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import railyard.io.catalog.FileCatalog;
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
 * Given the spec, its dead letters in the lake are the view {@code dead_letters} too.
 */
public final class SqlCommand {
  static final String USAGE =
      "usage: railyard sql [--warehouse=DIR] [--spec=FILE [--lake=DIR]] [--format=table|csv|json]"
          + " [--maxRows=N] [--timeout=SECONDS] [\"SELECT …\"]";

  private SqlCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command; returns 0 when every statement ran, 1 if one failed, 2 on bad arguments. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CommandArgs parsed;
    ResultFormat format;
    SqlLimits limits;
    try {
      parsed =
          CommandArgs.parse(args, Set.of("warehouse", "spec", "lake", "format", "maxRows", "timeout"));
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
        sql.addDeadLetters(parsed.option("lake", spec.outputs().lake()), spec.name());
      }
      if (!parsed.words().isEmpty()) {
        return runOne(sql, String.join(" ", parsed.words()), format, out, err) ? 0 : 1;
      }
      return prompt(sql, in, format, out, err);
    } catch (SQLException | IOException e) {
      err.println("railyard sql: " + e.getMessage());
      return 1;
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
