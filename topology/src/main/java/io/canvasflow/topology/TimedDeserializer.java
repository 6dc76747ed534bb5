package io.canvasflow.topology;

import java.util.function.LongConsumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A deserializer that reports how long each record took, for the {@code deserialise} stage of
 * {@code canvasflow_frame_stage_seconds}; a failure is timed too and passed on unchanged, so the
 * dead-letter handling sees what it always saw.
 *
 * @param <T> what it reads
 */
final class TimedDeserializer<T> implements Deserializer<T> {

    private final Deserializer<T> inner;
    private final LongConsumer nanos;

    TimedDeserializer(Deserializer<T> inner, LongConsumer nanos) {
        this.inner = inner;
        this.nanos = nanos;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        long start = System.nanoTime();
        try {
            return inner.deserialize(topic, data);
        } finally {
            nanos.accept(System.nanoTime() - start);
        }
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        long start = System.nanoTime();
        try {
            return inner.deserialize(topic, headers, data);
        } finally {
            nanos.accept(System.nanoTime() - start);
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
