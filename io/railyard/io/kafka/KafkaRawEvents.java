package railyard.io.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.kafka.common.header.Header;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/**
 * A Kafka record as a {@link RawEvent}: the value's bytes untouched, {@code
 * kafka:<topic>/<partition>/<offset>} as its source and the record's metadata as attributes.
 * Text that is not valid UTF-8 (a binary key or header) is kept in base64 under the name with
 * {@code .base64} appended, so nothing is lost or mangled.
 */
final class KafkaRawEvents {
  static final String PREFIX = "kafka.";
  static final String TOPIC = "kafka.topic";
  static final String PARTITION = "kafka.partition";
  static final String OFFSET = "kafka.offset";
  static final String TIMESTAMP = "kafka.timestamp";
  static final String TIMESTAMP_TYPE = "kafka.timestampType";
  static final String KEY = "kafka.key";
  static final String HEADER_PREFIX = "kafka.header.";
  static final String BASE64_SUFFIX = ".base64";

  private KafkaRawEvents() {}

  static String source(String topic, int partition, long offset) {
    return "kafka:" + topic + "/" + partition + "/" + offset;
  }

  /** {@code receivedAt} is the element's timestamp, which {@link RecordTimePolicy} set. */
  static RawEvent toRawEvent(KafkaRecord<byte[], byte[]> record, Instant receivedAt) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put(TOPIC, record.getTopic());
    attributes.put(PARTITION, Integer.toString(record.getPartition()));
    attributes.put(OFFSET, Long.toString(record.getOffset()));
    attributes.put(TIMESTAMP, Long.toString(record.getTimestamp()));
    attributes.put(TIMESTAMP_TYPE, record.getTimestampType().toString());
    byte[] key = record.getKV().getKey();
    if (key != null) {
      putText(attributes, KEY, key);
    }
    if (record.getHeaders() != null) {
      // Kafka allows a name more than once; like Headers.lastHeader, the last one wins.
      for (Header header : record.getHeaders()) {
        putText(attributes, HEADER_PREFIX + header.key(), header.value());
      }
    }
    byte[] value = record.getKV().getValue();
    return new RawEvent(
        source(record.getTopic(), record.getPartition(), record.getOffset()),
        receivedAt.getMillis(),
        value == null ? new byte[0] : value,
        attributes);
  }

  private static void putText(Map<String, String> attributes, String name, byte[] bytes) {
    attributes.remove(name);
    attributes.remove(name + BASE64_SUFFIX);
    if (bytes == null) {
      attributes.put(name, "");
      return;
    }
    Optional<String> text = utf8(bytes);
    if (text.isPresent()) {
      attributes.put(name, text.get());
    } else {
      attributes.put(name + BASE64_SUFFIX, Base64.getEncoder().encodeToString(bytes));
    }
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
