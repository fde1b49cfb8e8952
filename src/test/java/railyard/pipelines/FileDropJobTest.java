package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;
import railyard.transforms.HealthView;
import railyard.transforms.RailyardMetrics;

/**
 * The whole job, streaming on the Direct runner, over a watched folder holding a JSON-lines file
 * and a CSV file with one bad row. {@code stopWhenIdleFor} ends the watch once no new file has
 * appeared for a few seconds, and with it the job, so the test can read the final rows.
 */
@RunWith(JUnit4.class)
public class FileDropJobTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void servesJsonLinesAndCsvRowsAndDeadLettersABadRow() throws Exception {
    File drops = folder.newFolder("drops");
    String ts = java.time.Instant.now().minusSeconds(60).toString();
    Files.writeString(
        drops.toPath().resolve("a.jsonl"),
        "{\"id\":\"a\",\"shop\":\"north\",\"total\":10.5,\"ts\":\"" + ts + "\"}\n");
    Files.writeString(
        drops.toPath().resolve("b.csv"),
        "id,shop,total,ts\n"
            + "b,north,4.5," + ts + "\n"
            + "c,south,1," + ts + "\n"
            + "d,south,2," + ts + ",extra\n");
    File spec = folder.newFile("drops.yaml");
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: drops",
            "source: {type: watch, path: '" + drops.getPath() + "/*', pollInterval: 200ms,"
                + " stopWhenIdleFor: 3s}",
            "schema:",
            "  fields:",
            "    - {name: id, type: string, required: true}",
            "    - {name: shop, type: string, required: true}",
            "    - {name: total, type: double, coerce: true}",
            "    - {name: ts, type: timestamp, required: true}",
            "eventTime: {field: ts, allowedSkew: 1h}",
            "dedupe: {key: id}",
            "views:",
            "  - name: sales",
            "    window: {type: fixed, size: 1d}",
            "    groupBy: [shop]",
            "    metrics: [{name: revenue, op: sum, field: total}]",
            ""));
    File out = folder.newFolder("out");
    RunSummary summary =
        JobRun.run(
            spec.toString(),
            out,
            "--mode=streaming",
            "--runner=" + System.getProperty("railyard.jobRunner", "DirectRunner")); // or FlinkRunner

    assertThat(summary.counter(RailyardMetrics.RECEIVED), equalTo(3L));
    assertThat(summary.deadLetters(), equalTo(Map.of("parse/csv_field_count", 1L)));
    try (ServingStore store = ServingStore.open(new File(out, "serving.db").getPath())) {
      List<ServingRow> rows = store.readMerged("sales");
      Map<String, Double> revenue = new java.util.TreeMap<>();
      rows.forEach(r -> revenue.put(r.key(), r.metrics().get("revenue")));
      assertThat(revenue, equalTo(Map.of("north", 15.0, "south", 1.0)));
    }
    File[] deadLetters = new File(out, "lake/deadletter/drops").listFiles();
    assertThat(deadLetters != null && deadLetters.length > 0, equalTo(true));
    try (ServingStore store = ServingStore.open(new File(out, "serving.db").getPath())) {
      Map<String, Double> health = new java.util.TreeMap<>();
      for (ServingRow row : store.readMerged(HealthView.NAME)) {
        row.metrics().forEach((column, value) -> health.merge(column, value, Double::sum));
      }
      assertThat("the unreadable CSV row is a dead letter of the health view",
          health.get(HealthView.DEAD_LETTERS), equalTo(1.0));
      assertThat(health.get(HealthView.INVALID_OTHER), equalTo(1.0));
      assertThat(health.get(HealthView.RECEIVED), equalTo(3.0));
    }
  }
}
