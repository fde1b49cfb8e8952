package railyard.io.serving;

import org.junit.Rule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Concurrent writers and a reader on one PostgreSQL database. */
@RunWith(JUnit4.class)
public class PostgresServingStoreConcurrencyTest extends ServingStoreConcurrencyContract {
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  @Override
  protected String location() {
    return database.location();
  }
}
