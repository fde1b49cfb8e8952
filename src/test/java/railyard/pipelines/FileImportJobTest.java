package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
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
import railyard.transforms.RailyardMetrics;

/** A batch job over imported JSON-lines files: good lines served, bad lines dead letters. */
@RunWith(JUnit4.class)
public class FileImportJobTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void servesTheGoodLinesOfAnImportAndDeadLettersTheRest() throws Exception {
    File events = folder.newFile("orders.jsonl");
    long now = System.currentTimeMillis();
    String t1 = java.time.Instant.ofEpochMilli(now - 60_000).toString();
    String t2 = java.time.Instant.ofEpochMilli(now - 50_000).toString();
    Files.writeString(
        events.toPath(),
        String.join(
            "\n",
            "{\"id\":\"a\",\"shop\":\"north\",\"total\":10.5,\"ts\":\"" + t1 + "\"}",
            "{\"id\":\"b\",\"shop\":\"north\",\"total\":4.5,\"ts\":\"" + t2 + "\"}",
            "{\"id\":\"b\",\"shop\":\"north\",\"total\":4.5,\"ts\":\"" + t2 + "\"}",
            "{\"id\":\"c\",\"shop\":\"north\",\"total\":\"lots\",\"ts\":\"" + t2 + "\"}",
            "not json at all"));
    File spec = FileImportSpecs.orders(folder, events);
    File out = folder.newFolder("out");
    RunSummary summary =
        JobRun.run(spec.toString(), out, "--mode=batch", "--runner=DirectRunner");

    assertThat(summary.counter(RailyardMetrics.RECEIVED), equalTo(5L));
    assertThat(summary.deadLetters(), equalTo(Map.of("parse/malformed_json", 1L, "parse/wrong_type", 1L)));
    assertThat(summary.counter(RailyardMetrics.DUPLICATES), equalTo(1L));
    try (ServingStore store = ServingStore.open(new File(out, "serving.db").getPath())) {
      List<Double> revenue =
          store.readMerged("sales").stream().map(r -> r.metrics().get("revenue")).toList();
      double total = revenue.stream().mapToDouble(Double::doubleValue).sum();
      assertThat(total, equalTo(15.0));
      assertThat(
          store.readMerged("sales").stream().map(ServingRow::layer).distinct().toList(),
          contains(ServingRow.Layer.BATCH));
    }
  }
}
