package railyard.io.filedrop;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import railyard.io.fileimport.EventLines;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;
import railyard.transforms.RailyardMetrics;
import railyard.transforms.WithDeadLetters;

/**
 * Turns one dropped file into raw events: a JSON line as it is, a CSV row as a JSON object of the
 * header's names and the row's strings; a CSV row that cannot be read is a dead letter. Both come
 * out at the file's timestamp: the poll that found it, or the start of time for a one-off match
 * (a bounded source, see {@link RawEvent}).
 */
final class DroppedFileFn extends DoFn<FileIO.ReadableFile, RawEvent> {
  static final TupleTag<RawEvent> EVENTS = new TupleTag<>("events") {};

  static final String CSV_BAD_HEADER = "csv_bad_header";
  static final String CSV_MALFORMED = "csv_malformed";
  static final String CSV_FIELD_COUNT = "csv_field_count";
  static final String INVALID_UTF8 = "invalid_utf8";

  private static final JsonFactory JSON = new JsonFactory();

  private final @Nullable DropFormat format;

  /** {@code format} null: each file's format is told by its name. */
  DroppedFileFn(@Nullable DropFormat format) {
    this.format = format;
  }

  @ProcessElement
  public void process(
      @Element FileIO.ReadableFile file, @Timestamp Instant foundAt, MultiOutputReceiver out)
      throws IOException {
    MatchResult.Metadata metadata = file.getMetadata();
    String path = metadata.resourceId().toString();
    DropFormat fileFormat = format != null ? format : DropFormat.ofFileName(path);
    FileEvents events = new FileEvents(path, fileFormat, receivedAt(metadata, foundAt), out);
    InputStream in = Channels.newInputStream(file.open());
    if (fileFormat == DropFormat.JSONL) {
      EventLines.split(in, (line, bytes) -> events.emit(line, bytes, Map.of()));
    } else {
      CsvRecords.split(in, new CsvRows(events));
    }
  }

  /**
   * When the file was found: the watcher's poll time, or, for a one-off match (which carries no
   * time), the file's modification time where the file system reports one, else now.
   */
  private static long receivedAt(MatchResult.Metadata metadata, Instant foundAt) {
    if (foundAt.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      return foundAt.getMillis();
    }
    return metadata.lastModifiedMillis() > 0
        ? metadata.lastModifiedMillis()
        : System.currentTimeMillis();
  }

  /** Where one file's events and dead letters go, with the file's source and receipt time. */
  private static final class FileEvents {
    private final String source;
    private final String path;
    private final DropFormat format;
    private final long receivedAt;
    private final MultiOutputReceiver out;

    FileEvents(String path, DropFormat format, long receivedAt, MultiOutputReceiver out) {
      this.source = "file:" + path;
      this.path = path;
      this.format = format;
      this.receivedAt = receivedAt;
      this.out = out;
    }

    void emit(long line, byte[] payload, Map<String, String> more) {
      out.get(EVENTS).output(event(line, payload, more));
    }

    void reject(long line, byte[] row, String reason, String message) {
      RailyardMetrics.deadLetters(DeadLetter.Stage.PARSE, reason).inc();
      out.get(WithDeadLetters.DEAD_LETTERS)
          .output(
              DeadLetter.of(
                  DeadLetter.Stage.PARSE,
                  reason,
                  path + " line " + line + ": " + message,
                  event(line, row, Map.of())));
    }

    private RawEvent event(long line, byte[] payload, Map<String, String> more) {
      Map<String, String> attributes = new HashMap<>(more);
      attributes.put("file.path", path);
      attributes.put("file.line", Long.toString(line));
      attributes.put("file.format", format.label());
      return new RawEvent(source, receivedAt, payload, attributes);
    }
  }

  /** The first record names the fields; every later one becomes an event or a dead letter. */
  private static final class CsvRows implements CsvRecords.RecordReceiver {
    private final FileEvents events;
    private @Nullable List<String> header;
    private @Nullable String headerProblem;

    CsvRows(FileEvents events) {
      this.events = events;
    }

    @Override
    public void accept(long line, byte[] record) throws IOException {
      String text;
      try {
        text = decode(record);
      } catch (CharacterCodingException e) {
        if (header == null && headerProblem == null) {
          headerProblem = "the header row is not valid UTF-8";
          return;
        }
        events.reject(line, record, INVALID_UTF8, "the row is not valid UTF-8");
        return;
      }
      if (header == null && headerProblem == null) {
        readHeader(text);
        return;
      }
      if (headerProblem != null) {
        events.reject(line, record, CSV_BAD_HEADER, headerProblem);
        return;
      }
      List<String> fields;
      try {
        fields = CsvFields.parse(text);
      } catch (CsvFields.MalformedCsvException e) {
        events.reject(line, record, CSV_MALFORMED, e.getMessage());
        return;
      }
      if (fields.size() != header.size()) {
        events.reject(
            line,
            record,
            CSV_FIELD_COUNT,
            "the row has " + fields.size() + " fields, the header " + header.size());
        return;
      }
      events.emit(line, jsonObject(header, fields), Map.of("csv.row", text));
    }

    private void readHeader(String text) {
      try {
        List<String> names = CsvFields.parse(text);
        if (names.contains(null) || new HashSet<>(names).size() != names.size()) {
          headerProblem = "the header row has an empty or repeated name: " + text;
        } else {
          header = names;
        }
      } catch (CsvFields.MalformedCsvException e) {
        headerProblem = "the header row is not well-formed CSV: " + e.getMessage();
      }
    }
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** {@code {"name": "value", …}} in header order; an empty unquoted cell is null. */
  static byte[] jsonObject(List<String> names, List<String> values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      for (int i = 0; i < names.size(); i++) {
        json.writeStringField(names.get(i), values.get(i));
      }
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }
}
