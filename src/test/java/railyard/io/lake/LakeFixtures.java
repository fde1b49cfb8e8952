package railyard.io.lake;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/** Test events and a plain Avro reader for lake files. */
final class LakeFixtures {
  private LakeFixtures() {}

  static long at(String isoInstant) {
    return Instant.parse(isoInstant).getMillis();
  }

  static RawEvent event(String source, String receivedAt, byte[] payload) {
    return new RawEvent(source, at(receivedAt), payload, Map.of("k", "v"));
  }

  static RawEvent event(String source, String receivedAt, String payload) {
    return event(source, receivedAt, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads one lake file without Beam, to check what is on disk. */
  static List<RawEvent> readAvroFile(File file) {
    List<RawEvent> events = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(file, new GenericDatumReader<>())) {
      reader.forEach(record -> events.add(LakeRecords.fromAvro(record)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }
}
