package railyard.io.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import railyard.io.catalog.Sql;

/**
 * The lake's side of SQL: a {@code dead_letters} view over one pipeline's dead-letter JSON lines,
 * {@code <lake>/deadletter/<pipeline>/dt=…/hr=…/*.json}, with {@code dt} and {@code hr} as
 * partition columns, each rejected record once however often it was replayed. (The raw lake is Avro, which DuckDB reads only through an extension that is
 * not bundled with its JDBC driver.)
 */
public final class LakeViews {
  public static final String DEAD_LETTERS = "dead_letters";

  /**
   * What identifies a dead letter: the stage and reason that rejected the record, and the record
   * as received (source, receipt time and bytes). A replay of the same records (a backfill, a lake
   * follow, a rerun of an import) writes their dead letters again; the view shows each once.
   */
  private static final String IDENTITY = "stage, reason, source, received_at, payload_base64";

  /**
   * The run that wrote a file: its name begins with the write's run id (a UUID). Identical dead
   * letters within one run (the same line twice in a file) are distinct records, so the view keeps
   * the n-th copy of each run once: as many as the run that wrote most of them.
   */
  private static final String RUN = "left(regexp_extract(filename, '[^/]+$'), 36)";

  private LakeViews() {}

  /** Creates {@code dead_letters} if the pipeline has any; returns whether it did. */
  static boolean createDeadLetters(Connection duckdb, Path lake, String pipeline) throws SQLException {
    Path directory = lake.resolve("deadletter").resolve(pipeline);
    if (!hasJsonLines(directory)) {
      return false;
    }
    try (Statement statement = duckdb.createStatement()) {
      statement.execute(
          "CREATE OR REPLACE VIEW " + DEAD_LETTERS + " AS SELECT * EXCLUDE (filename, nth)"
              + " FROM (SELECT *, row_number() OVER (PARTITION BY " + RUN + ", " + IDENTITY
              + " ORDER BY failed_at, filename) AS nth FROM read_json("
              + Sql.literal(directory.toAbsolutePath() + "/dt=*/hr=*/*.json")
              + ", format = 'newline_delimited', hive_partitioning = true, filename = true))"
              + " QUALIFY row_number() OVER (PARTITION BY nth, " + IDENTITY
              + " ORDER BY failed_at, filename) = 1");
    }
    return true;
  }

  private static boolean hasJsonLines(Path directory) throws SQLException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(directory, 3)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".json")
          && !f.getFileName().toString().startsWith("."));
    } catch (IOException e) {
      throw new SQLException("cannot list " + directory, e);
    }
  }
}
