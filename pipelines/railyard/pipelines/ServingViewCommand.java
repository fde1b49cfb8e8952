package railyard.pipelines;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import railyard.io.bigquery.BigQueryLocation;
import railyard.io.bigquery.BigQueryServingWrite;
import railyard.io.bigquery.ServingTables;
import railyard.schema.ViewSpec;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecException;
import railyard.spec.SpecLoader;

/**
 * {@code railyard serving-view --spec=FILE [--serving=bigquery:<project>:<dataset>]}: prints the
 * statement that creates the {@code serving_merged} view of a BigQuery serving store, for {@code bq
 * query --use_legacy_sql=false}. The view needs the spec's session views by name, so run it again
 * after adding one. SQLite and PostgreSQL stores create their view themselves.
 */
public final class ServingViewCommand {
  static final String USAGE =
      "usage: railyard serving-view --spec=FILE [--serving=bigquery:<project>:<dataset>]";

  private ServingViewCommand() {}

  /** Prints the statement; returns 0, or 2 on bad arguments or a store that is not BigQuery. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      CommandArgs parsed = CommandArgs.parse(args, Set.of("spec", "serving"));
      String specFile = parsed.option("spec");
      if (specFile == null) {
        throw new IllegalArgumentException("--spec is required");
      }
      PipelineSpec spec = SpecLoader.load(Path.of(specFile));
      String serving = parsed.option("serving", spec.outputs().serving());
      if (!BigQueryLocation.isBigQuery(serving)) {
        throw new IllegalArgumentException(
            "the serving store is " + serving + ", not bigquery:<project>:<dataset>; SQLite and"
                + " PostgreSQL stores create serving_merged themselves");
      }
      BigQueryLocation location = BigQueryLocation.parse(serving);
      Set<String> sessionViews =
          spec.views().stream()
              .filter(v -> v.window().merging())
              .map(ViewSpec::name)
              .collect(Collectors.toSet());
      out.println(
          ServingTables.mergedViewDdl(
                  tableName(location, BigQueryServingWrite.TABLE),
                  tableName(location, "serving_merged"),
                  sessionViews)
              + ";");
      return 0;
    } catch (IllegalArgumentException | SpecException e) {
      err.println("railyard serving-view: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
  }

  /** {@code project.dataset.table}, as standard SQL names it. */
  private static String tableName(BigQueryLocation location, String table) {
    return location.project() + "." + location.dataset() + "." + table;
  }
}
