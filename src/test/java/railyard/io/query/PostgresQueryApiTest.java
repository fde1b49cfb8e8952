package railyard.io.query;

import org.junit.Rule;
import railyard.io.serving.PostgresDatabase;

/** The query API over the real PostgreSQL server on this machine. */
public class PostgresQueryApiTest extends QueryApiContract {
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  @Override
  protected String location() {
    return database.location();
  }
}
