package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.query.QueryConfig;
import railyard.io.query.QueryServer;
import railyard.io.serving.PostgresDatabase;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;

/**
 * The lambda merge on the real PostgreSQL server: a streaming run writes speed rows, a backfill
 * of part of the same range writes batch rows for the windows it saw whole, and readers — the
 * store and the query API — see the batch row where one exists and the speed row elsewhere: what a
 * full batch replay serves.
 */
@RunWith(JUnit4.class)
public class PostgresServingJobTest {
  private static final String SPEC = BackfillRuns.SPEC;
  private static final String VIEW = "by_country_1m";
  private static final long BACKFILL_START = BackfillRuns.FROM.toEpochMilli();
  private static final long BACKFILL_END = BackfillRuns.TO.toEpochMilli();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  private void run(String... extra) {
    String[] args = Arrays.copyOf(extra, extra.length + 1);
    args[extra.length] = "--serving=" + database.location();
    JobRun.run(SPEC, new File(folder.getRoot(), "out"), args);
  }

  @Test
  public void readersSeeTheBackfilledBatchRowsAndTheSpeedRowsElsewhere() {
    run("--mode=streaming");
    run(BackfillRuns.backfill());

    try (ServingStore store = ServingStore.open(database.location(), Set.of("user_sessions"))) {
      List<ServingRow> merged = store.readMerged(VIEW);
      Map<ServingRow.Layer, List<ServingRow>> byLayer =
          merged.stream().collect(Collectors.groupingBy(ServingRow::layer));

      assertThat(byLayer.get(ServingRow.Layer.BATCH).size(), greaterThan(0));
      assertThat(
          byLayer.get(ServingRow.Layer.BATCH).stream().map(r -> r.windowStart() < BACKFILL_END).toList(),
          everyItem(equalTo(true)));
      assertThat(
          byLayer.get(ServingRow.Layer.SPEED).stream()
              .filter(r -> r.windowStart() >= BACKFILL_END)
              .toList(),
          hasSize(
              (int)
                  store.readLayer(VIEW, ServingRow.Layer.SPEED).stream()
                      .filter(r -> r.windowStart() >= BACKFILL_END)
                      .count()));
      // Every batch row is what a reader gets for its window: no speed row of it shows through.
      for (ServingRow batch : byLayer.get(ServingRow.Layer.BATCH)) {
        assertThat(
            merged.stream()
                .filter(r -> r.key().equals(batch.key()) && r.windowStart() == batch.windowStart()
                    && r.windowEnd() == batch.windowEnd())
                .toList(),
            equalTo(List.of(batch)));
      }
    }
  }

  @Test
  public void everyViewServedAfterAPartialBackfillEqualsAFullBatchReplayWindowByWindow() {
    File out = new File(folder.getRoot(), "out");
    run("--mode=streaming");
    run(BackfillRuns.backfill());
    File full = new File(out, "full.db");
    JobRun.run(SPEC, out, BackfillRuns.fullReplay(full));

    Map<String, String> served = BackfillRuns.merged(database.location());
    assertThat(served, equalTo(BackfillRuns.merged(full.getPath())));
    assertThat(BackfillRuns.batchRows(database.location(), VIEW), greaterThan(0L));
  }

  @Test
  public void theQueryApiAnswersWithBatchValuesWhereBackfilledAndSpeedValuesElsewhere()
      throws Exception {
    run("--mode=streaming");
    run(BackfillRuns.backfill());

    try (QueryServer server = QueryServer.start(QueryConfig.loopback(database.location(), 0))) {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          server
                              .uri()
                              .resolve(
                                  "/v1/views/" + VIEW + "/series?key=US&key=FR&key=DE&key=JP"
                                      + "&from=2026-03-01T09:00:00Z&to=2026-03-01T11:00:00Z"
                                      + "&limit=5000"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body(), answer.statusCode(), equalTo(200));
      JsonNode rows = new ObjectMapper().readTree(answer.body()).get("rows");
      assertThat(rows.size(), greaterThan(0));
      for (JsonNode row : rows) {
        long start = Instant.parse(row.get("windowStart").asText()).toEpochMilli();
        // Windows whose every event the backfill's receipt range holds (within the allowed skew)
        // come from the batch layer; every other window from the speed layer.
        boolean seenWhole =
            start - BackfillRuns.SKEW_MILLIS >= BACKFILL_START
                && start + 60_000 + BackfillRuns.SKEW_MILLIS <= BACKFILL_END;
        assertThat(row.toString(), row.get("layer").asText(), equalTo(seenWhole ? "batch" : "speed"));
      }
    }
  }
}
