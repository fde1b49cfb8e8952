package railyard.io.filedrop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;
import railyard.transforms.WithDeadLetters;

/**
 * Files dropped into a real temporary folder on the Direct runner. A watch cannot be driven by
 * TestStream, so the watching tests end by {@code withStopWhenIdleFor}: once no new file has
 * appeared for a few seconds, the watch (and the pipeline) ends by itself.
 */
@RunWith(JUnit4.class)
public class WatchEventFilesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  /** Released when the pipeline has read the first dropped file; static: the DoFn is copied. */
  private static CountDownLatch firstFileRead;

  private static final Duration POLL = Duration.millis(200);
  private static final Duration IDLE = Duration.standardSeconds(4);

  @Test
  public void picksUpFilesDroppedWhileItRunsEachOnce() throws Exception {
    File drops = folder.newFolder("drops");
    dropFile(drops, "a.jsonl", "{\"n\":1}\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8));
    firstFileRead = new CountDownLatch(1);
    Thread producer =
        new Thread(
            () -> {
              try {
                firstFileRead.await(60, TimeUnit.SECONDS);
                // Same name again, new content: must not be read a second time.
                dropFile(drops, "a.jsonl", "{\"n\":99}\n".getBytes(StandardCharsets.UTF_8));
                dropFile(drops, "b.jsonl", "{\"n\":3}\n".getBytes(StandardCharsets.UTF_8));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    producer.start();

    WithDeadLetters<RawEvent> read =
        pipeline.apply(
            WatchEventFiles.create()
                .withFilepattern(drops.getPath() + "/*.jsonl")
                .withPollInterval(POLL)
                .withStopWhenIdleFor(IDLE));
    read.output().apply("SignalFirstFile", ParDo.of(new SignalFn()));

    PAssert.that(payloads(read.output())).containsInAnyOrder("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    PAssert.that(read.deadLetters()).empty();
    pipeline.run();
    producer.join();
  }

  @Test
  public void keepsEachLineByteForByteWithWhereItCameFrom() throws Exception {
    File drops = folder.newFolder("drops");
    byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
    byte[] content = concat("{\"a\":1}\r\n\n".getBytes(StandardCharsets.UTF_8), invalidUtf8);
    File file = dropFile(drops, "e.jsonl", content);
    long before = System.currentTimeMillis();

    WithDeadLetters<RawEvent> read =
        pipeline.apply(
            WatchEventFiles.create()
                .withFilepattern(drops.getPath() + "/*")
                .withPollInterval(POLL)
                .withStopWhenIdleFor(IDLE));

    PAssert.that(read.output())
        .satisfies(
            events -> {
              List<String> payloads = new ArrayList<>();
              for (RawEvent e : events) {
                payloads.add(new String(e.payload(), StandardCharsets.ISO_8859_1));
                assertThat(e.source(), equalTo("file:" + file.getPath()));
                assertThat(e.attributes(), hasEntry("file.path", file.getPath()));
                assertThat(e.attributes(), hasEntry("file.format", "jsonl"));
                assertThat(
                    e.receivedAt(),
                    allOf(
                        greaterThanOrEqualTo(before),
                        lessThanOrEqualTo(System.currentTimeMillis())));
                String expectedLine = e.payload().length == 7 ? "1" : "3";
                assertThat(e.attributes(), hasEntry("file.line", expectedLine));
              }
              assertThat(
                  payloads,
                  containsInAnyOrder(
                      "{\"a\":1}", new String(invalidUtf8, StandardCharsets.ISO_8859_1)));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void readsGzippedJsonLinesAndCsv() throws Exception {
    File drops = folder.newFolder("drops");
    dropFile(drops, "a.jsonl.gz", gzip("{\"n\":1}\n{\"n\":2}\n"));
    dropFile(drops, "b.csv.gz", gzip("id,n\nx,3\n"));

    WithDeadLetters<RawEvent> read =
        pipeline.apply(
            WatchEventFiles.create()
                .withFilepattern(drops.getPath() + "/*.gz")
                .withPollInterval(POLL)
                .withStopWhenIdleFor(IDLE));

    PAssert.that(payloads(read.output()))
        .containsInAnyOrder("{\"n\":1}", "{\"n\":2}", "{\"id\":\"x\",\"n\":\"3\"}");
    PAssert.that(read.deadLetters()).empty();
    pipeline.run();
  }

  @Test
  public void turnsEachCsvRowIntoAJsonObjectOfStrings() throws Exception {
    File drops = folder.newFolder("drops");
    String csv =
        "id,shop,note\r\n"
            + "1,north,plain\r\n"
            + "2,\"south, east\",\"says \"\"hi\"\"\non two lines\"\r\n"
            + "3,,\"\"\r\n";
    dropFile(drops, "orders.csv", csv.getBytes(StandardCharsets.UTF_8));

    WithDeadLetters<RawEvent> read =
        pipeline.apply(WatchEventFiles.create().withFilepattern(drops.getPath() + "/*").once());

    PAssert.that(payloads(read.output()))
        .containsInAnyOrder(
            "{\"id\":\"1\",\"shop\":\"north\",\"note\":\"plain\"}",
            "{\"id\":\"2\",\"shop\":\"south, east\",\"note\":\"says \\\"hi\\\"\\non two lines\"}",
            "{\"id\":\"3\",\"shop\":null,\"note\":\"\"}");
    PAssert.that(
            read.output()
                .apply(
                    "RowAttributes",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            e ->
                                e.attributes().get("file.line")
                                    + " "
                                    + e.attributes().get("file.format")
                                    + " "
                                    + e.attributes().get("csv.row"))))
        .containsInAnyOrder(
            "2 csv 1,north,plain",
            "3 csv 2,\"south, east\",\"says \"\"hi\"\"\non two lines\"",
            "5 csv 3,,\"\"");
    PAssert.that(read.deadLetters()).empty();
    pipeline.run();
  }

  @Test
  public void deadLettersCsvRowsThatDoNotFitTheHeader() throws Exception {
    File drops = folder.newFolder("drops");
    byte[] invalidUtf8Row = {'4', ',', (byte) 0xC3, '('};
    byte[] csv =
        concat(
            "id,shop\n1,north\n2,south,extra\n3,\"open\n"
                .getBytes(StandardCharsets.UTF_8),
            invalidUtf8Row);
    File file = dropFile(drops, "bad.csv", csv);
    // The unclosed quote on line 4 swallows the rest of the file into one record.

    WithDeadLetters<RawEvent> read =
        pipeline.apply(WatchEventFiles.create().withFilepattern(file.getPath()).once());

    PAssert.that(payloads(read.output())).containsInAnyOrder("{\"id\":\"1\",\"shop\":\"north\"}");
    PAssert.that(
            read.deadLetters()
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> d.stage().label() + "/" + d.reason() + ": " + d.message())))
        .containsInAnyOrder(
            "parse/csv_field_count: " + file.getPath()
                + " line 3: the row has 3 fields, the header 2",
            "parse/invalid_utf8: " + file.getPath() + " line 4: the row is not valid UTF-8");
    PAssert.that(
            read.deadLetters()
                .apply(
                    "Bytes",
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> new String(d.payload(), StandardCharsets.ISO_8859_1))))
        .containsInAnyOrder(
            "2,south,extra",
            new String(concat("3,\"open\n".getBytes(StandardCharsets.UTF_8), invalidUtf8Row),
                StandardCharsets.ISO_8859_1));
    pipeline.run();
  }

  @Test
  public void deadLettersRowsWithBadQuotesAndEveryRowUnderABadHeader() throws Exception {
    File drops = folder.newFolder("drops");
    File badRow = dropFile(drops, "row.csv", "id,shop\n1,no\"rth\n".getBytes(StandardCharsets.UTF_8));
    File badHeader = dropFile(drops, "header.csv", "id,id\n1,2\n".getBytes(StandardCharsets.UTF_8));

    WithDeadLetters<RawEvent> read =
        pipeline.apply(WatchEventFiles.create().withFilepattern(drops.getPath() + "/*.csv").once());

    PAssert.that(read.output()).empty();
    PAssert.that(
            read.deadLetters()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> d.reason() + ": " + d.message() + " | " + d.source())))
        .containsInAnyOrder(
            "csv_malformed: " + badRow.getPath() + " line 2: field 2: a quote inside an unquoted"
                + " field | file:" + badRow.getPath(),
            "csv_bad_header: " + badHeader.getPath() + " line 2: the header row has an empty or"
                + " repeated name: id,id | file:" + badHeader.getPath());
    pipeline.run();
  }

  private static PCollection<String> payloads(PCollection<RawEvent> events) {
    return events.apply(
        "Payloads",
        MapElements.into(TypeDescriptors.strings())
            .via(e -> new String(e.payload(), StandardCharsets.ISO_8859_1)));
  }

  /** Writes under a name no pattern matches, then renames into place, as producers should. */
  private static File dropFile(File folder, String name, byte[] content) throws IOException {
    Path partial = folder.toPath().resolve("." + name + ".partial");
    Files.write(partial, content);
    Path target = folder.toPath().resolve(name);
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target.toFile();
  }

  private static byte[] gzip(String text) throws IOException {
    File tmp = File.createTempFile("railyard", ".gz");
    try (OutputStream out = new GZIPOutputStream(new FileOutputStream(tmp))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = Files.readAllBytes(tmp.toPath());
    tmp.delete();
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static final class SignalFn extends DoFn<RawEvent, Void> implements Serializable {
    @ProcessElement
    public void process() {
      firstFileRead.countDown();
    }
  }
}
