package io.canvasflow.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the serdes of its keys and values; the one place that ties a name to its
 * formats. See {@link Topics} for the topics CanvasFlow uses.
 *
 * @param name the topic name
 * @param keySerde the serde of record keys
 * @param valueSerde the serde of record values
 * @param <K> the key type
 * @param <V> the value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException when the name is blank
     * @throws NullPointerException when a component is null
     */
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a topic name must not be blank");
        }
    }

    /**
     * Returns the same topic under another name, for example a per-test or per-tenant copy.
     *
     * @param newName the other name
     * @return a topic with the same serdes and the given name
     */
    public Topic<K, V> withName(String newName) {
        return new Topic<>(newName, keySerde, valueSerde);
    }
}
