package railyard.io.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/**
 * A client's batches in the lake: appended while open (and acknowledged then), published by
 * renaming; one left open by a killed process is published by the next start with every message
 * of its whole blocks, and without the block the kill cut short.
 */
@RunWith(JUnit4.class)
public class MqttLakeFilesTest {
  @Rule public final TemporaryFolder lake = new TemporaryFolder();

  private static RawEvent event(String payload, long receivedAt) {
    return new RawEvent(
        "mqtt:plant/a",
        receivedAt,
        payload.getBytes(StandardCharsets.UTF_8),
        Map.of(MqttLander.TOPIC, "plant/a"));
  }

  private static List<String> payloads(List<RawEvent> events) {
    return events.stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
  }

  private List<Path> files(String glob) throws IOException {
    try (Stream<Path> all = Files.walk(lake.getRoot().toPath())) {
      java.nio.file.PathMatcher matcher =
          lake.getRoot().toPath().getFileSystem().getPathMatcher("glob:" + glob);
      return all.filter(p -> matcher.matches(p.getFileName())).toList();
    }
  }

  @Test
  public void anOpenBatchIsHiddenFromLakeReadersUntilPublished() throws Exception {
    MqttLakeFiles files = new MqttLakeFiles(lake.getRoot().getPath(), "c1");
    long now = System.currentTimeMillis();
    MqttLakeFiles.OpenBatch open = files.open(0, now);
    open.append(List.of(event("a", now), event("b", now + 1)));

    assertThat(files.listSince(now), empty());
    assertThat(files("*.avro"), empty());

    MqttLakeFiles.BatchFile published = open.publish();

    assertThat(files.listSince(now), hasSize(1));
    assertThat(payloads(MqttLakeFiles.read(published.path())), contains("a", "b"));
    assertThat(files("*.inprogress"), empty());
  }

  @Test
  public void aBatchLeftOpenByAKilledProcessIsPublishedWithoutItsCutShortBlock() throws Exception {
    MqttLakeFiles files = new MqttLakeFiles(lake.getRoot().getPath(), "c1");
    long now = System.currentTimeMillis();
    MqttLakeFiles.OpenBatch open = files.open(7, now);
    open.append(List.of(event("a", now)));
    open.append(List.of(event("b", now + 1), event("c", now + 2)));
    // Killed while writing the next block: a few of its bytes reached the file, never closed.
    Path inProgress = files("*.inprogress").get(0);
    Files.write(inProgress, new byte[] {4, 12, 0, 1}, StandardOpenOption.APPEND);

    long recovered = new MqttLakeFiles(lake.getRoot().getPath(), "c1").publishLeftOpen(now);

    assertThat(recovered, equalTo(3L));
    List<MqttLakeFiles.BatchFile> listed = files.listSince(now);
    assertThat(listed, hasSize(1));
    assertThat(listed.get(0).seq(), equalTo(7L));
    assertThat(payloads(MqttLakeFiles.read(listed.get(0).path())), contains("a", "b", "c"));
    assertThat(files("*.inprogress"), empty());
  }

  @Test
  public void anotherClientsOpenBatchIsLeftAlone() throws Exception {
    long now = System.currentTimeMillis();
    new MqttLakeFiles(lake.getRoot().getPath(), "c1-b").open(0, now).append(List.of(event("x", now)));

    long recovered = new MqttLakeFiles(lake.getRoot().getPath(), "c1").publishLeftOpen(now);

    assertThat(recovered, equalTo(0L));
    assertThat(files("*.inprogress"), hasSize(1));
  }
}
