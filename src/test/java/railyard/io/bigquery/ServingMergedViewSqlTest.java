package railyard.io.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.joda.time.Instant;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.serving.SqliteServingStore;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/**
 * The BigQuery serving store's merged view, run: the statement {@link
 * ServingTables#mergedViewDdl} makes (with standard quotes) on DuckDB over a table of {@link
 * ServingTables#tableSchema}'s columns that holds every upsert, as BigQuery's CDC keeps them, gives
 * what {@link SqliteServingStore#readMerged} gives for the same rows.
 */
@RunWith(JUnit4.class)
public class ServingMergedViewSqlTest {
  private static final String FIXED = "by_country_1m";
  private static final String SESSIONS = "user_sessions";
  private static final String SLIDING = "by_country_1m_every_30s";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Connection duckdb;
  private SqliteServingStore sqlite;

  @Before
  public void open() throws Exception {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = duckdb.createStatement()) {
      statement.execute(createServingTable());
      statement.execute(ServingTables.mergedViewDdl("serving", "serving_merged", Set.of(SESSIONS), "\""));
    }
    sqlite = SqliteServingStore.open(folder.getRoot() + "/serving.db", Set.of(SESSIONS));
  }

  @After
  public void close() throws Exception {
    duckdb.close();
    sqlite.close();
  }

  private static String createServingTable() {
    Map<String, String> types = Map.of("STRING", "VARCHAR", "INT64", "BIGINT", "TIMESTAMP", "TIMESTAMP");
    return ServingTables.tableSchema().getFields().stream()
        .map(f -> "\"" + f.getName() + "\" " + types.get(f.getType()) + " NOT NULL")
        .collect(Collectors.joining(", ", "CREATE TABLE serving (", ")"));
  }

  /** Each row to both stores, in order; DuckDB keeps them all, as CDC does per primary key. */
  private void upsert(ServingRow... rows) throws Exception {
    List<TableFieldSchema> fields = ServingTables.tableSchema().getFields();
    String placeholders =
        fields.stream()
            .map(f -> f.getType().equals("TIMESTAMP") ? "epoch_ms(CAST(? AS BIGINT))" : "?")
            .collect(Collectors.joining(", "));
    try (PreparedStatement insert = duckdb.prepareStatement("INSERT INTO serving VALUES (" + placeholders + ")")) {
      for (ServingRow row : rows) {
        TableRow values = ServingTables.toTableRow(row);
        for (int i = 0; i < fields.size(); i++) {
          TableFieldSchema field = fields.get(i);
          insert.setString(
              i + 1,
              field.getType().equals("TIMESTAMP")
                  ? Long.toString(Instant.parse((String) values.get(field.getName())).getMillis())
                  : (String) values.get(field.getName()));
        }
        insert.executeUpdate();
        sqlite.upsert(List.of(row));
      }
    }
  }

  private List<ServingRow> duckdbMerged(String view) throws Exception {
    List<ServingRow> rows = new ArrayList<>();
    try (PreparedStatement select =
        duckdb.prepareStatement(
            "SELECT \"view\", \"key\", epoch_ms(window_start), epoch_ms(window_end), metrics, event_count,"
                + " layer, pane, pane_index, epoch_ms(computed_at) FROM serving_merged WHERE \"view\" = ?"
                + " ORDER BY \"key\", window_start, window_end, layer")) {
      select.setString(1, view);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.add(
              new ServingRow(
                  result.getString(1),
                  result.getString(2),
                  result.getLong(3),
                  result.getLong(4),
                  JSON.readValue(result.getString(5), new TypeReference<LinkedHashMap<String, Double>>() {}),
                  result.getLong(6),
                  Layer.valueOf(result.getString(7).toUpperCase(Locale.ROOT)),
                  result.getString(8),
                  result.getLong(9),
                  result.getLong(10)));
        }
      }
    }
    return rows;
  }

  private static ServingRow row(String view, String key, long start, long end, Layer layer, String pane, long index) {
    return new ServingRow(
        view, key, start * 1000, end * 1000, Map.of("events", (double) (end - start)), end - start, layer, pane, index,
        1_767_225_600_000L + end * 1000 + index);
  }

  private static List<String> described(List<ServingRow> rows) {
    return rows.stream()
        .map(r -> r.key() + " " + r.windowStart() / 1000 + "-" + r.windowEnd() / 1000 + " " + r.layer().label())
        .toList();
  }

  @Test
  public void aBatchRowHidesTheSpeedRowOfItsWindowAndASpeedOnlyWindowShows() throws Exception {
    upsert(
        row(FIXED, "US", 0, 60, Layer.SPEED, "EARLY", 0),
        row(FIXED, "US", 0, 60, Layer.BATCH, "ON_TIME", 0),
        row(FIXED, "FR", 0, 60, Layer.SPEED, "ON_TIME", 1),
        row(FIXED, "DE", 60, 120, Layer.BATCH, "ON_TIME", 0));

    List<ServingRow> merged = duckdbMerged(FIXED);

    assertThat(described(merged), contains("DE 60-120 batch", "FR 0-60 speed", "US 0-60 batch"));
    assertThat(merged, equalTo(sqlite.readMerged(FIXED)));
  }

  @Test
  public void aSessionThatGrewShowsOnlyAsTheWiderOneAndABatchSessionHidesTheSpeedOnesInside() throws Exception {
    upsert(
        row(SESSIONS, "u1", 0, 20, Layer.SPEED, "EARLY", 0),
        row(SESSIONS, "u1", 0, 40, Layer.SPEED, "EARLY", 1),
        row(SESSIONS, "u1", 10, 30, Layer.SPEED, "LATE", 2), // a narrower part arriving after
        row(SESSIONS, "u2", 5, 30, Layer.SPEED, "ON_TIME", 0),
        row(SESSIONS, "u2", 0, 50, Layer.BATCH, "ON_TIME", 0),
        row(SESSIONS, "u3", 100, 120, Layer.SPEED, "ON_TIME", 0));

    List<ServingRow> merged = duckdbMerged(SESSIONS);

    assertThat(described(merged), contains("u1 0-40 speed", "u2 0-50 batch", "u3 100-120 speed"));
    assertThat(merged, equalTo(sqlite.readMerged(SESSIONS)));
  }

  @Test
  public void aBatchSessionHidesEverySpeedSessionItOverlapsThoughItCoversNone() throws Exception {
    upsert(
        row(SESSIONS, "u1", 0, 40, Layer.SPEED, "ON_TIME", 0),
        row(SESSIONS, "u1", 20, 60, Layer.BATCH, "ON_TIME", 0),
        row(SESSIONS, "u2", 0, 10, Layer.SPEED, "ON_TIME", 0),
        row(SESSIONS, "u2", 30, 60, Layer.BATCH, "ON_TIME", 0));

    List<ServingRow> merged = duckdbMerged(SESSIONS);

    assertThat(described(merged), contains("u1 20-60 batch", "u2 0-10 speed", "u2 30-60 batch"));
    assertThat(merged, equalTo(sqlite.readMerged(SESSIONS)));
  }

  @Test
  public void aSpeedWindowThatABatchWindowOnlyOverlapsStays() throws Exception {
    upsert(
        row(SLIDING, "US", 0, 60, Layer.SPEED, "ON_TIME", 0),
        row(SLIDING, "US", 30, 90, Layer.BATCH, "ON_TIME", 0));

    List<ServingRow> merged = duckdbMerged(SLIDING);

    assertThat(described(merged), contains("US 0-60 speed", "US 30-90 batch"));
    assertThat(merged, equalTo(sqlite.readMerged(SLIDING)));
  }
}
