package railyard.io.query;

import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/** The query API over the embedded SQLite store. */
public class SqliteQueryApiTest extends QueryApiContract {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Override
  protected String location() {
    return folder.getRoot().toPath().resolve("serving.db").toString();
  }
}
