package railyard.io.lake;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import railyard.io.files.Partitions;
import railyard.model.RawEvent;

/** The raw lake's Avro record: the explicit schema, and the exact mapping to and from it. */
public final class LakeRecords {
  public static final String SOURCE = "source";
  public static final String RECEIVED_AT = "received_at";
  public static final String PAYLOAD = "payload";
  public static final String ATTRIBUTES = "attributes";

  /** The lake record's schema; changing it is a change of the lake contract. */
  public static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "RawEvent", "namespace": "railyard.lake",
               "doc": "An event exactly as received.",
               "fields": [
                 {"name": "source", "type": "string"},
                 {"name": "received_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                 {"name": "payload", "type": "bytes"},
                 {"name": "attributes", "type": {"type": "map", "values": "string"}}
               ]}
              """);

  private LakeRecords() {}

  /** The {@code raw/<pipeline>} directory of a lake. */
  public static String rawDirectory(String lakeRoot, String pipelineName) {
    return Partitions.join(lakeRoot, "raw", pipelineName);
  }

  public static GenericRecord toAvro(RawEvent event) {
    GenericRecord record = new GenericData.Record(SCHEMA);
    record.put(SOURCE, event.source());
    record.put(RECEIVED_AT, event.receivedAt());
    record.put(PAYLOAD, ByteBuffer.wrap(event.payload()));
    record.put(ATTRIBUTES, event.attributes());
    return record;
  }

  public static RawEvent fromAvro(GenericRecord record) {
    return new RawEvent(
        record.get(SOURCE).toString(),
        epochMillis(record.get(RECEIVED_AT)),
        bytes((ByteBuffer) record.get(PAYLOAD)),
        strings((Map<?, ?>) record.get(ATTRIBUTES)));
  }

  private static long epochMillis(Object value) {
    // A reader with Avro's time conversions registered hands back an Instant; a plain one a long.
    if (value instanceof java.time.Instant instant) {
      return instant.toEpochMilli();
    }
    return (Long) value;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }

  private static Map<String, String> strings(Map<?, ?> map) {
    Map<String, String> strings = new HashMap<>();
    map.forEach((k, v) -> strings.put(k.toString(), v.toString()));
    return strings;
  }
}
