package railyard.io.fileimport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

@RunWith(JUnit4.class)
public class ImportEventFilesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  private PCollection<String> payloads(PCollection<RawEvent> events) {
    return events.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(e -> new String(e.payload(), StandardCharsets.ISO_8859_1)));
  }

  @Test
  public void makesOneEventPerLineWithItsBytesUnchanged() throws Exception {
    File file = folder.newFile("events.jsonl");
    byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
    try (OutputStream out = new FileOutputStream(file)) {
      out.write("{\"a\":1}\r\n\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));
      out.write(invalidUtf8);
    }
    PCollection<RawEvent> events =
        pipeline.apply(ImportEventFiles.create().withFilepattern(file.getPath()));
    PAssert.that(payloads(events))
        .containsInAnyOrder(
            "{\"a\":1}", "{\"a\":2}", new String(invalidUtf8, StandardCharsets.ISO_8859_1));
    pipeline.run();
  }

  @Test
  public void readsGzippedFiles() throws Exception {
    File file = folder.newFile("events.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(new FileOutputStream(file))) {
      out.write("{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));
    }
    PCollection<RawEvent> events =
        pipeline.apply(ImportEventFiles.create().withFilepattern(file.getPath()));
    PAssert.that(payloads(events)).containsInAnyOrder("{\"a\":1}", "{\"a\":2}");
    pipeline.run();
  }

  @Test
  public void recordsTheFileTheLineAndAReceiptTimeNoEarlierThanTheFile() throws Exception {
    File file = folder.newFile("one.jsonl");
    Files.writeString(file.toPath(), "\n{\"a\":1}\n");
    long modified = file.lastModified();
    PCollection<RawEvent> events =
        pipeline.apply(ImportEventFiles.create().withFilepattern(file.getPath()));
    PAssert.thatSingleton(events)
        .satisfies(
            event -> {
              assertThat(event.source(), startsWith("file:"));
              assertThat(event.source(), containsString("one.jsonl"));
              assertThat(event.attributes().get("line"), equalTo("2"));
              assertThat(event.receivedAt(), greaterThanOrEqualTo(modified - 1000));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void anEventIsReceivedAtItsFilesModificationTime() throws Exception {
    File file = folder.newFile("old.jsonl");
    Files.writeString(file.toPath(), "{\"a\":1}\n");
    long modified = java.time.Instant.parse("2026-03-01T10:05:00Z").toEpochMilli();
    assertThat(file.setLastModified(modified), equalTo(true));
    PCollection<RawEvent> events =
        pipeline.apply(ImportEventFiles.create().withFilepattern(file.getPath()));
    PAssert.thatSingleton(
            events.apply(MapElements.into(TypeDescriptors.longs()).via(RawEvent::receivedAt)))
        .isEqualTo(modified);
    pipeline.run();
  }

  @Test(expected = IllegalArgumentException.class)
  public void needsAFilepattern() {
    pipeline.enableAbandonedNodeEnforcement(false);
    pipeline.apply(ImportEventFiles.create());
  }
}
