package railyard.io.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static railyard.io.serving.ServingRows.batch;
import static railyard.io.serving.ServingRows.row;
import static railyard.io.serving.ServingRows.speed;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.ServingRow.Layer;

/** The embedded store: the contract, and a file that plain SQLite tools can read. */
@RunWith(JUnit4.class)
public class SqliteServingStoreTest extends ServingStoreContract {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private File file() {
    return new File(folder.getRoot(), "serving.db");
  }

  @Override
  protected String location() {
    return "sqlite:" + file();
  }

  @Test
  public void plainSqlSeesTheMergedViewInWalMode() throws Exception {
    store.upsert(
        List.of(
            speed("v", "a", 0, 60, 1),
            batch("v", "a", 0, 60),
            row("v", "b", 0, 60, Layer.SPEED, "ON_TIME", 1)));

    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = sql.createStatement()) {
      assertThat(single(statement, "PRAGMA journal_mode"), is("wal"));
      assertThat(
          single(statement, "SELECT group_concat(key || ':' || layer, ',') FROM"
              + " (SELECT * FROM serving_merged ORDER BY key)"),
          is("a:batch,b:speed"));
      assertThat(
          single(statement, "SELECT metrics FROM serving WHERE key = 'b'"),
          is("{\"sum\":20.0,\"avg\":2.5}"));
    }
  }

  private static String single(Statement statement, String sql) throws Exception {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
