package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.catalog.FileCatalog;
import railyard.io.sql.RawEventsTable;
import railyard.io.sql.SqlLimits;
import railyard.io.sql.WarehouseSql;

/**
 * {@code railyard sql} reads the raw lake a real batch run wrote as the table {@code raw_events},
 * for a required receipt time range whose partitions alone are opened. The run's events were
 * received from 2026-03-01T23:57Z to 00:02Z, so its lake has the hours {@code
 * dt=2026-03-01/hr=23} and {@code dt=2026-03-02/hr=00}.
 */
@RunWith(JUnit4.class)
public class RawEventsSqlTest {
  @ClassRule public static final TemporaryFolder SHARED = new TemporaryFolder();

  private static File out;
  private static Path raw;
  private static List<Path> jobFiles;

  @BeforeClass
  public static void runJob() throws Exception {
    out = SHARED.newFolder("out");
    JobRun.run(CatalogJobTest.SPEC, out, "--mode=batch");
    raw = out.toPath().resolve("lake/raw/catalogued");
    jobFiles = OutputFiles.avroFiles(raw);
    // Files no Avro reader can open, in an hour and a day next to the run's: a load that opened
    // them would fail.
    unreadable(raw.resolve("dt=2026-03-01/hr=22/unreadable.avro"));
    unreadable(raw.resolve("dt=2026-03-03/hr=00/unreadable.avro"));
  }

  private static void unreadable(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "not avro");
  }

  @Test
  public void rowsAreTheLakeRecordsReceivedInTheRange() throws Exception {
    Instant from = Instant.parse("2026-03-01T23:58:00Z");
    Instant to = Instant.parse("2026-03-02T00:01:00Z");
    List<byte[]> expected = lakePayloads(from, to);

    List<byte[]> actual = new ArrayList<>();
    try (WarehouseSql sql = session()) {
      sql.addRawEvents(lake(), "catalogued", from, to, 1_000_000);
      try (Statement statement = sql.connection().createStatement();
          ResultSet rows = statement.executeQuery("SELECT payload FROM raw_events")) {
        while (rows.next()) {
          actual.add(rows.getBytes(1));
        }
      }
    }

    assertThat(expected.size(), greaterThan(1000));
    assertThat(actual.size(), equalTo(expected.size()));
    assertThat(digest(actual), equalTo(digest(expected)));
  }

  @Test
  public void partitionsOutsideTheRangeAreNotOpened() throws Exception {
    Instant from = Instant.parse("2026-03-02T00:00:00Z");
    Instant to = Instant.parse("2026-03-02T01:00:00Z");
    List<Path> hourZero =
        jobFiles.stream().filter(f -> f.startsWith(raw.resolve("dt=2026-03-02/hr=00"))).toList();

    RawEventsTable.Load load;
    try (WarehouseSql sql = session()) {
      load = sql.addRawEvents(lake(), "catalogued", from, to, 1_000_000);
    }

    assertThat(hourZero, not(empty()));
    assertThat(hourZero.size(), lessThan(jobFiles.size()));
    assertThat(load.filesOpened(), equalTo(hourZero));
    assertThat(load.rows(), equalTo((long) lakePayloads(from, to).size()));
  }

  @Test
  public void aNewRangeReplacesTheRefusingViewAndThenTheOldRange() throws Exception {
    Instant midnight = Instant.parse("2026-03-02T00:00:00Z");
    try (WarehouseSql sql = session()) {
      sql.refuseRawEvents("no range yet");
      sql.addRawEvents(lake(), "catalogued", midnight.minusSeconds(3600), midnight, 1_000_000);
      RawEventsTable.Load after =
          sql.addRawEvents(lake(), "catalogued", midnight, midnight.plusSeconds(3600), 1_000_000);

      assertThat(
          sql.query("SELECT count(*) AS n, min(dt)::VARCHAR AS day FROM raw_events").rows(),
          equalTo(List.of(List.of(after.rows(), "2026-03-02"))));
      assertThat(sql.tables().stream().filter("raw_events"::equals).count(), is(1L));
    }
  }

  @Test
  public void anUnreadableFileInTheRangeFailsNamingIt() {
    String[] printed =
        sql(
            1,
            "--lakeFrom=2026-03-01T22:00:00Z",
            "--lakeTo=2026-03-01T23:00:00Z",
            "SELECT count(*) FROM raw_events");

    assertThat(printed[1], containsString("cannot read raw lake file"));
    assertThat(printed[1], containsString("dt=2026-03-01/hr=22/unreadable.avro"));
  }

  @Test
  public void aWarehouseRowFindsItsRawBytesByEventId() {
    String[] printed =
        sql(
            0,
            "--lakeFrom=2026-03-01T23:00:00Z",
            "--lakeTo=2026-03-02T01:00:00Z",
            "SELECT (SELECT count(*) FROM orders) AS orders,"
                + " count(DISTINCT o.event_id) AS found,"
                + " bool_and(contains(r.payload_text, o.event_id)) AS bytes_hold_the_id"
                + " FROM orders o JOIN raw_events r ON o.event_id = CASE WHEN json_valid(r.payload_text)"
                + " THEN json_extract_string(r.payload_text, '$.event_id') END");

    String[] row = printed[0].split("\r\n")[1].split(",");
    assertThat(Long.parseLong(row[0]), greaterThan(1000L));
    assertThat(row[1], equalTo(row[0]));
    assertThat(row[2], is("true"));
  }

  @Test
  public void columnsHaveTheirTypesAndPartitions() {
    String[] printed =
        sql(
            0,
            "--lakeFrom=2026-03-01T23:00:00Z",
            "--lakeTo=2026-03-02T01:00:00Z",
            "SELECT typeof(received_at), typeof(payload), typeof(attributes), typeof(dt), source,"
                + " dt, hr, min(received_at)"
                + " FROM raw_events GROUP BY ALL ORDER BY dt");

    String[] lines = printed[0].split("\r\n");
    assertThat(lines.length, is(3));
    assertThat(lines[1], startsWith("TIMESTAMP,BLOB,\"MAP(VARCHAR, VARCHAR)\",DATE,"));
    assertThat(lines[1], endsWith(",generator,2026-03-01,23,2026-03-01T23:57:00Z"));
    assertThat(lines[2], endsWith(",generator,2026-03-02,0,2026-03-02T00:00:00Z"));
  }

  @Test
  public void payloadTextIsThePayloadWhenItIsUtf8AndNullOtherwise() throws Exception {
    Instant from = Instant.parse("2026-03-01T23:00:00Z");
    Instant to = Instant.parse("2026-03-02T01:00:00Z");
    long notUtf8 = lakePayloads(from, to).stream().filter(p -> !isUtf8(p)).count();

    String[] printed =
        sql(
            0,
            "--lakeFrom=" + from,
            "--lakeTo=" + to,
            "SELECT count(*) FILTER (WHERE payload_text IS NULL) AS not_text,"
                + " count(*) FILTER (WHERE encode(payload_text) <> payload) AS differing"
                + " FROM raw_events");

    assertThat(notUtf8, greaterThan(0L));
    assertThat(printed[0].split("\r\n")[1], equalTo(notUtf8 + ",0"));
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  @Test
  public void thePromptListsAndQueriesRawEvents() throws Exception {
    Instant from = Instant.parse("2026-03-01T23:00:00Z");
    Instant to = Instant.parse("2026-03-02T01:00:00Z");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        SqlCommand.run(
            new String[] {
              "--spec=" + CatalogJobTest.SPEC, "--lake=" + lake(),
              "--warehouse=" + new File(out, "warehouse"), "--format=csv",
              "--lakeFrom=" + from, "--lakeTo=" + to
            },
            new ByteArrayInputStream(
                ".tables\nSELECT count(*) AS n\n  FROM raw_events;\n.quit\n"
                    .getBytes(StandardCharsets.UTF_8)),
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    assertThat(text, containsString("\nraw_events\n"));
    assertThat(text, containsString("n\r\n" + lakePayloads(from, to).size() + "\r\n"));
  }

  @Test
  public void aStreamingRunsLakeIsReadTheSame() throws Exception {
    File streamed = SHARED.newFolder("streamed");
    JobRun.run(CatalogJobTest.SPEC, streamed, "--mode=streaming");
    Instant from = Instant.parse("2026-03-01T23:00:00Z");
    Instant to = Instant.parse("2026-03-02T01:00:00Z");
    List<Path> files = OutputFiles.avroFiles(streamed.toPath().resolve("lake/raw/catalogued"));

    List<byte[]> actual = new ArrayList<>();
    try (WarehouseSql sql =
        WarehouseSql.open(
            FileCatalog.at(new File(streamed, "warehouse").toString()), SqlLimits.interactive())) {
      sql.addRawEvents(new File(streamed, "lake").toString(), "catalogued", from, to, 1_000_000);
      try (Statement statement = sql.connection().createStatement();
          ResultSet rows = statement.executeQuery("SELECT payload FROM raw_events")) {
        while (rows.next()) {
          actual.add(rows.getBytes(1));
        }
      }
    }

    List<byte[]> expected = payloads(files, from, to);
    assertThat(expected.size(), greaterThan(1000));
    assertThat(digest(actual), equalTo(digest(expected)));
  }

  @Test
  public void exportWritesTheRangesRawEventsToParquet() throws Exception {
    Instant from = Instant.parse("2026-03-01T23:59:00Z");
    Instant to = Instant.parse("2026-03-02T00:00:30Z");
    Path parquet = SHARED.getRoot().toPath().resolve("raw-slice.parquet");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        ExportCommand.run(
            new String[] {
              "--table=raw_events", "--spec=" + CatalogJobTest.SPEC, "--lake=" + lake(),
              "--warehouse=" + new File(out, "warehouse"), "--from=" + from, "--to=" + to,
              "--out=" + parquet
            },
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    List<byte[]> exported = new ArrayList<>();
    try (WarehouseSql sql = session();
        Statement statement = sql.connection().createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT payload FROM read_parquet('" + parquet + "')")) {
      while (rows.next()) {
        exported.add(rows.getBytes(1));
      }
    }
    List<byte[]> expected = lakePayloads(from, to);
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    assertThat(expected.size(), greaterThan(100));
    assertThat(exported.size(), equalTo(expected.size()));
    assertThat(digest(exported), equalTo(digest(expected)));
  }

  @Test
  public void halfARangeIsRefusedWithTheOptionsToGive() {
    String[] printed = sql(2, "--lakeFrom=2026-03-01T23:00:00Z", "SELECT 1");

    assertThat(printed[1], containsString("give --lakeFrom and --lakeTo"));
  }

  @Test
  public void withoutARangeReadingRawEventsSaysHowToGiveOne() {
    String[] printed = sql(1, "SELECT count(*) FROM raw_events");

    assertThat(printed[1], containsString("raw_events reads the raw lake of a receipt time range"));
  }

  @Test
  public void aRangeWithMoreEventsThanTheLimitIsRefused() {
    String[] printed =
        sql(
            1,
            "--lakeFrom=2026-03-01T23:00:00Z",
            "--lakeTo=2026-03-02T01:00:00Z",
            "--lakeMaxRows=10",
            "SELECT count(*) FROM raw_events");

    assertThat(printed[1], containsString("more events in this range than the limit allows"));
  }

  /** Runs {@code railyard sql} over the run's outputs; returns what it printed and its errors. */
  private static String[] sql(int expectedCode, String... args) {
    List<String> all = new ArrayList<>();
    all.add("--spec=" + CatalogJobTest.SPEC);
    all.add("--lake=" + lake());
    all.add("--warehouse=" + new File(out, "warehouse"));
    all.add("--format=csv");
    all.addAll(List.of(args));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SqlCommand.run(
            all.toArray(String[]::new),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String[] result = {
      printed.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
    };
    assertThat(result[1], code, is(expectedCode));
    return result;
  }

  private static String lake() {
    return new File(out, "lake").toString();
  }

  private static WarehouseSql session() throws Exception {
    return WarehouseSql.open(
        FileCatalog.at(new File(out, "warehouse").toString()), SqlLimits.interactive());
  }

  /** The payloads of the run's lake records received in {@code [from, to)}, read independently. */
  private static List<byte[]> lakePayloads(Instant from, Instant to) throws Exception {
    return payloads(jobFiles, from, to);
  }

  private static List<byte[]> payloads(List<Path> files, Instant from, Instant to)
      throws Exception {
    List<byte[]> payloads = new ArrayList<>();
    for (Path file : files) {
      try (DataFileReader<GenericRecord> reader =
          new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        for (GenericRecord record : reader) {
          long received = (Long) record.get("received_at");
          if (received >= from.toEpochMilli() && received < to.toEpochMilli()) {
            ByteBuffer payload = (ByteBuffer) record.get("payload");
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            payloads.add(bytes);
          }
        }
      }
    }
    return payloads;
  }

  /** SHA-256 over the sorted SHA-256 of each payload: equal for equal multisets of payloads. */
  private static String digest(List<byte[]> payloads) throws Exception {
    List<String> each = new ArrayList<>();
    for (byte[] payload : payloads) {
      each.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)));
    }
    each.sort(null);
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    each.forEach(hash -> all.update(hash.getBytes(StandardCharsets.US_ASCII)));
    return HexFormat.of().formatHex(all.digest());
  }
}
