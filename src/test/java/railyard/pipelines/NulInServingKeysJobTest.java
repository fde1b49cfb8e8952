package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.serving.PostgresDatabase;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;

/**
 * A NUL inside a group-by value is data like any other: the key writes it as {@code \0}, so
 * PostgreSQL (whose text cannot hold U+0000) serves the same rows as SQLite, and no two values
 * share a key.
 */
@RunWith(JUnit4.class)
public class NulInServingKeysJobTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  @Rule public final PostgresDatabase database = new PostgresDatabase();

  /** Imports three orders whose shops differ only by a NUL, a literal "\0" and nothing. */
  private List<String> servedKeys(String serving) throws Exception {
    File events = folder.newFile();
    String ts = java.time.Instant.ofEpochMilli(System.currentTimeMillis() - 60_000).toString();
    Files.writeString(
        events.toPath(),
        String.join(
            "\n",
            "{\"id\":\"a\",\"shop\":\"no\\u0000rth\",\"ts\":\"" + ts + "\"}",
            "{\"id\":\"b\",\"shop\":\"no\\\\0rth\",\"ts\":\"" + ts + "\"}",
            "{\"id\":\"c\",\"shop\":\"north\",\"ts\":\"" + ts + "\"}"));
    File spec = folder.newFile("orders.yaml");
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: orders",
            "source: {type: file, path: '" + events.getPath() + "'}",
            "schema:",
            "  fields:",
            "    - {name: id, type: string, required: true}",
            "    - {name: shop, type: string, required: true}",
            "    - {name: ts, type: timestamp, required: true}",
            "eventTime: {field: ts, allowedSkew: 1d}",
            "dedupe: {key: id}",
            "views:",
            "  - name: sales",
            "    window: {type: fixed, size: 1h}",
            "    groupBy: [shop]",
            "    metrics: [{name: orders, op: count}]",
            ""));
    JobRun.run(
        spec.toString(),
        folder.newFolder(),
        "--mode=batch",
        "--runner=DirectRunner",
        "--serving=" + serving);
    try (ServingStore store = ServingStore.open(serving)) {
      return store.readMerged("sales").stream().map(ServingRow::key).toList();
    }
  }

  @Test
  public void postgresServesAKeyHoldingANul() throws Exception {
    assertThat(
        servedKeys(database.location()), containsInAnyOrder("no\\0rth", "no\\\\0rth", "north"));
  }

  @Test
  public void sqliteServesTheSameKeys() throws Exception {
    assertThat(
        servedKeys(new File(folder.getRoot(), "serving.db").getPath()),
        containsInAnyOrder("no\\0rth", "no\\\\0rth", "north"));
  }
}
