package railyard.io.serving;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.rules.ExternalResource;

/**
 * A fresh database on the PostgreSQL server on this machine (127.0.0.1:5432, trust
 * authentication), created before a test and dropped after it.
 */
public final class PostgresDatabase extends ExternalResource {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String ADMIN_DATABASE = "postgres";
  private static final String USER = "postgres";

  private String name;

  @Override
  protected void before() throws SQLException {
    name = "railyard_test_" + UUID.randomUUID().toString().replace("-", "");
    admin("CREATE DATABASE " + name);
  }

  @Override
  protected void after() {
    try {
      admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot drop test database " + name, e);
    }
  }

  /** The database as a serving-store location. */
  public String location() {
    return "postgresql://127.0.0.1:5432/" + name + "?user=" + USER;
  }

  /** A plain JDBC connection to the database, as any SQL client would have. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(SERVER + name + "?user=" + USER);
  }

  private static void admin(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(SERVER + ADMIN_DATABASE + "?user=" + USER);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
