package io.canvasflow.clients;

import io.canvasflow.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;

/**
 * Decodes the byte values a follower reads with each topic's own serde: a record that does not
 * deserialize, or has no value, is logged with its topic, partition and offset, counted and
 * skipped.
 */
final class RecordDecoder {

    private final Logger log;
    private long badRecords;

    /**
     * Creates a decoder that has skipped nothing yet.
     *
     * @param log where a skipped record is logged (the follower's own logger)
     */
    RecordDecoder(Logger log) {
        this.log = log;
    }

    /**
     * Decodes a record's value.
     *
     * @param topic the topic, with its value serde
     * @param record the record as read
     * @return the value, or null when the record was bad and skipped
     */
    <V extends SpecificRecord> V decode(
            Topic<String, V> topic, ConsumerRecord<String, byte[]> record) {
        try {
            V value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (value == null) {
                throw new SerializationException("the record has no value (a tombstone)");
            }
            return value;
        } catch (SerializationException e) {
            badRecords++;
            log.warn(
                    "skipping a bad record at {}-{}@{} ({} bad so far): {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    badRecords,
                    e.getMessage());
            return null;
        }
    }

    /** The records skipped so far. */
    long badRecords() {
        return badRecords;
    }
}
