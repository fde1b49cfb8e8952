package railyard.io.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;
import static railyard.io.serving.ServingRows.batch;
import static railyard.io.serving.ServingRows.row;
import static railyard.io.serving.ServingRows.speed;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.ServingRow.Layer;

/** The PostgreSQL store, on the real server on this machine: the contract, and plain SQL. */
@RunWith(JUnit4.class)
public class PostgresServingStoreTest extends ServingStoreContract {
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  @Override
  protected String location() {
    return database.location();
  }

  @Test
  public void opensAPostgresqlLocation() {
    assertThat(store, instanceOf(PostgresServingStore.class));
  }

  @Test
  public void plainSqlSeesTheMergedView() throws Exception {
    store.upsert(
        List.of(
            speed("v", "a", 0, 60, 1),
            batch("v", "a", 0, 60),
            row("v", "b", 0, 60, Layer.SPEED, "ON_TIME", 1)));

    try (Connection sql = database.connect();
        Statement statement = sql.createStatement()) {
      assertThat(
          single(statement, "SELECT string_agg(key || ':' || layer, ',' ORDER BY key)"
              + " FROM serving_merged"),
          is("a:batch,b:speed"));
      assertThat(
          single(statement, "SELECT metrics::jsonb ->> 'avg' FROM serving WHERE key = 'b'"),
          is("2.5"));
    }
  }

  @Test
  public void aSecondStoreOnTheSameDatabaseSharesTheRows() {
    store.upsert(List.of(speed("v", "a", 0, 60, 0)));

    try (ServingStore other = ServingStore.open(location(), Set.of(SESSIONS))) {
      assertThat(other.countRows(), is(1L));
    }
  }

  @Test
  public void refusesADatabaseWithAnotherSchemaVersion() throws Exception {
    try (Connection sql = database.connect();
        Statement statement = sql.createStatement()) {
      statement.execute("UPDATE railyard_serving_schema SET version = 99");
    }

    ServingStoreException error =
        assertThrows(ServingStoreException.class, () -> ServingStore.open(location()));

    assertThat(error.getMessage(), containsString("schema version 99, expected 1"));
  }

  @Test
  public void anUnreachableServerIsAClearError() {
    ServingStoreException error =
        assertThrows(
            ServingStoreException.class,
            () -> ServingStore.open("postgresql://127.0.0.1:1/none?user=postgres&connectTimeout=2"));

    assertThat(error.getMessage(), containsString("Cannot connect to serving store"));
  }

  private static String single(Statement statement, String sql) throws Exception {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
