package railyard.pipelines;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import railyard.io.catalog.Column;
import railyard.io.catalog.FileCatalog;
import railyard.io.catalog.SchemaVersion;
import railyard.io.catalog.TableDescription;
import railyard.spec.SpecException;

/**
 * {@code railyard catalog list} and {@code railyard catalog describe <table>}: the warehouse's
 * tables, and one table's schema, versions, partitions, rows and newest event time.
 */
public final class CatalogCommand {
  static final String USAGE =
      "usage: railyard catalog list|describe <table> [--warehouse=DIR | --spec=FILE]";

  private CatalogCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code: 0 done, 2 bad arguments or unknown table. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      CommandArgs parsed = CommandArgs.parse(args, Set.of("warehouse", "spec"));
      List<String> words = parsed.words();
      FileCatalog catalog = FileCatalog.at(parsed.warehouse());
      if (words.size() == 1 && words.get(0).equals("list")) {
        list(catalog, out);
        return 0;
      }
      if (words.size() == 2 && words.get(0).equals("describe")) {
        describe(catalog.describe(words.get(1)), out);
        return 0;
      }
      err.println(USAGE);
      return 2;
    } catch (IllegalArgumentException | SpecException e) {
      err.println("railyard catalog: " + e.getMessage());
      return 2;
    }
  }

  private static void list(FileCatalog catalog, PrintStream out) {
    out.printf("%-32s %7s %10s %5s %14s  %s%n", "table", "version", "partitions", "files", "rows", "newest event");
    for (String table : catalog.tables()) {
      TableDescription t = catalog.describe(table);
      out.printf(
          "%-32s %7d %10d %5d %,14d  %s%n",
          table, t.current().version(), t.partitions().size(), t.files(), t.rows(), time(t.newestEventTime()));
    }
  }

  private static void describe(TableDescription t, PrintStream out) {
    SchemaVersion current = t.current();
    out.printf("table          %s%n", t.table());
    out.printf("location       %s/dt=…/ (Parquet)%n", t.directory());
    out.printf("spec           %s (pipeline %s)%n", current.specFile(), current.pipeline());
    out.printf("rows           %,d in %d files%n", t.rows(), t.files());
    out.printf("newest event   %s%n", time(t.newestEventTime()));
    out.printf("schema, version %d%n", current.version());
    for (Column column : current.columns()) {
      out.printf(
          "  %-28s %-10s %s%s%n",
          column.name(),
          column.type(),
          column.required() ? "required" : "nullable",
          sinceOf(t, column));
    }
    out.println("versions");
    for (SchemaVersion version : t.versions()) {
      out.printf(
          "  v%-3d %3d fields  registered %s by %s%n",
          version.version(), version.columns().size(), version.registeredAt(), version.specFile());
    }
    out.println("partitions");
    for (TableDescription.Partition p : t.partitions()) {
      out.printf("  %-16s %4d files %,14d rows %,14d bytes%n", p.name(), p.files(), p.rows(), p.bytes());
    }
  }

  private static String sinceOf(TableDescription t, Column column) {
    for (SchemaVersion version : t.versions()) {
      if (version.columns().stream().anyMatch(c -> c.name().equals(column.name()))) {
        return version.version() == 1 ? "" : "  (since v" + version.version() + ")";
      }
    }
    return "";
  }

  private static String time(Long epochMillis) {
    return epochMillis == null ? "-" : Instant.ofEpochMilli(epochMillis).toString();
  }
}
