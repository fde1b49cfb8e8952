package railyard.io.sql;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import railyard.io.catalog.Sql;
import railyard.io.lake.LakeRecords;
import railyard.io.lake.RawLakeFiles;
import railyard.model.RawEvent;

/**
 * The raw lake's side of SQL: the table {@code raw_events} holding one pipeline's raw events
 * received in {@code [from, to)}. DuckDB reads Avro only through an extension its JDBC driver does
 * not bundle, so the Avro files are read here, one record at a time, and streamed into the table
 * through DuckDB's appender; only the files of the range's {@code dt=…/hr=…} partitions are opened.
 * The range is required and the rows are capped, so a session never loads the whole lake by
 * accident.
 */
public final class RawEventsTable {
  public static final String RAW_EVENTS = "raw_events";

  private static final String COLUMNS =
      "source VARCHAR, received_at TIMESTAMP, payload BLOB, payload_text VARCHAR,"
          + " attributes MAP(VARCHAR, VARCHAR), dt DATE, hr INTEGER";

  private RawEventsTable() {}

  /** What a load did: the files it opened, in order, and the rows it put in the table. */
  public record Load(List<Path> filesOpened, long rows) {}

  /**
   * Creates {@code raw_events} with the events of {@code pipeline} received in {@code [from, to)}.
   * Fails, naming the file, on a lake file that cannot be read, and when the range holds more
   * than {@code maxRows} events.
   */
  static Load create(
      Connection duckdb, Path lake, String pipeline, Instant from, Instant to, long maxRows)
      throws SQLException {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException(
          "the raw lake's time range is empty: from " + from + " is not before to " + to);
    }
    if (maxRows < 1) {
      throw new IllegalArgumentException("the raw lake's row limit must be 1 or more, was " + maxRows);
    }
    try (Statement statement = duckdb.createStatement()) {
      if (isView(statement)) {
        statement.execute("DROP VIEW " + RAW_EVENTS);
      }
      statement.execute("CREATE OR REPLACE TABLE " + RAW_EVENTS + " (" + COLUMNS + ")");
    }
    List<Path> files =
        RawLakeFiles.overlapping(lake, pipeline, from.toEpochMilli(), to.toEpochMilli());
    long rows = 0;
    try (DuckDBAppender appender =
        duckdb.unwrap(DuckDBConnection.class).createAppender("main", RAW_EVENTS)) {
      for (Path file : files) {
        rows += append(file, from.toEpochMilli(), to.toEpochMilli(), maxRows - rows, appender);
      }
    }
    return new Load(files, rows);
  }

  /**
   * Creates {@code raw_events} as a view that fails with {@code message} whenever it is read, so a
   * session without a time range explains how to get one instead of reporting an unknown table.
   */
  static void createRefusing(Connection duckdb, String message) throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + RAW_EVENTS);
      statement.execute(
          "CREATE OR REPLACE VIEW " + RAW_EVENTS + " AS SELECT NULL::VARCHAR AS source,"
              + " NULL::TIMESTAMP AS received_at, NULL::BLOB AS payload, NULL::VARCHAR AS payload_text,"
              + " NULL::MAP(VARCHAR, VARCHAR) AS attributes, NULL::DATE AS dt, NULL::INTEGER AS hr"
              + " FROM range(1) WHERE error(" + Sql.literal(message) + ") IS NULL");
    }
  }

  private static boolean isView(Statement statement) throws SQLException {
    try (ResultSet views =
        statement.executeQuery(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = " + Sql.literal(RAW_EVENTS))) {
      return views.next() && views.getLong(1) > 0;
    }
  }

  private static long append(
      Path file, long fromMillis, long toMillis, long rowsLeft, DuckDBAppender appender)
      throws SQLException {
    long appended = 0;
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(file.toFile(), new GenericDatumReader<>(LakeRecords.SCHEMA))) {
      GenericRecord record = null;
      while (reader.hasNext()) {
        record = reader.next(record);
        RawEvent event = LakeRecords.fromAvro(record);
        if (event.receivedAt() < fromMillis || event.receivedAt() >= toMillis) {
          continue;
        }
        if (appended == rowsLeft) {
          throw new SQLException(
              "the raw lake holds more events in this range than the limit allows; narrow the"
                  + " range or raise the limit (stopped in " + file + ")");
        }
        appendRow(event, appender);
        appended++;
      }
    } catch (IOException | RuntimeException e) {
      throw new SQLException("cannot read raw lake file " + file + ": " + e.getMessage(), e);
    }
    return appended;
  }

  private static void appendRow(RawEvent event, DuckDBAppender appender) throws SQLException {
    LocalDateTime received =
        LocalDateTime.ofInstant(Instant.ofEpochMilli(event.receivedAt()), ZoneOffset.UTC);
    appender.beginRow().append(event.source()).append(received).append(event.payload());
    String text = utf8(event.payload());
    if (text == null) {
      appender.appendNull();
    } else {
      appender.append(text);
    }
    appender
        .append(event.attributes())
        .append(received.toLocalDate())
        .append(received.getHour())
        .endRow();
  }

  /** The payload as text, or null when it is not valid UTF-8. */
  private static String utf8(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
