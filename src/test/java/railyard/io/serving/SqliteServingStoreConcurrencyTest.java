package railyard.io.serving;

import java.io.File;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Concurrent writers and a reader on one SQLite file. */
@RunWith(JUnit4.class)
public class SqliteServingStoreConcurrencyTest extends ServingStoreConcurrencyContract {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Override
  protected String location() {
    return "sqlite:" + new File(folder.getRoot(), "serving.db");
  }
}
