package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** MQTT and Pub/Sub never end, so a batch launch over them stops with a message naming the fix. */
@RunWith(JUnit4.class)
public class StreamSourceLaunchTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int launch(String source, String... more) throws Exception {
    File spec = folder.newFile();
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: s",
            "source: " + source,
            "schema:",
            "  fields:",
            "    - {name: id, type: string, required: true}",
            "    - {name: ts, type: timestamp}",
            "eventTime: {field: ts}",
            "dedupe: {key: id}",
            ""));
    String[] args = new String[more.length + 1];
    args[0] = "--spec=" + spec;
    System.arraycopy(more, 0, args, 1, more.length);
    return Railyard.launch(
        args,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  public void refusesMqttInBatch() throws Exception {
    assertThat(
        launch("{type: mqtt, mqtt: {server: 'tcp://127.0.0.1:1883', topics: [t]}}", "--mode=batch"),
        is(2));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        containsString("an MQTT source is streaming only: run it with --mode=streaming"));
  }

  @Test
  public void refusesPubsubInBatch() throws Exception {
    assertThat(
        launch("{type: pubsub, pubsub: {subscription: projects/p/subscriptions/s}}", "--mode=batch"),
        is(2));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        containsString("a Pub/Sub source is streaming only: run it with --mode=streaming"));
  }

  @Test
  public void refusesASourceOverrideTheSpecDoesNotDescribe() throws Exception {
    assertThat(launch("{type: generator}", "--mode=streaming", "--source=mqtt"), is(2));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        containsString("--source=mqtt needs the spec's source to be of that type"));
  }
}
