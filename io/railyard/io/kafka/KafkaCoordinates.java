package railyard.io.kafka;

import railyard.model.RawEvent;

/** Where a Kafka record sits: topic, partition and offset, which name it exactly. */
record KafkaCoordinates(String topic, int partition, long offset) {

  /** Reads the coordinates {@link KafkaRawEvents} put in an event's attributes. */
  static KafkaCoordinates of(RawEvent event) {
    String topic = event.attributes().get(KafkaRawEvents.TOPIC);
    String partition = event.attributes().get(KafkaRawEvents.PARTITION);
    String offset = event.attributes().get(KafkaRawEvents.OFFSET);
    if (topic == null || partition == null || offset == null) {
      throw new IllegalArgumentException(
          "event from "
              + event.source()
              + " has no Kafka coordinates (attributes kafka.topic, kafka.partition, kafka.offset):"
              + " only events read by ReadKafkaEvents can be landed by LandKafkaEvents");
    }
    return new KafkaCoordinates(topic, Integer.parseInt(partition), Long.parseLong(offset));
  }
}
