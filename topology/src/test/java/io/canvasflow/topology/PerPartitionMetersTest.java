package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerPartitionMetersTest {

    @Test
    void shouldKeepThreadAndClientMetersAndDropThosePerTaskStoreOrPartition() {
        // Given a registry with the filter, and meters as Micrometer's Kafka binder names them
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new PerPartitionMeters());
        List<String> kept =
                List.of(
                        "kafka.stream.thread.blocked.time.ns.total",
                        "kafka.stream.thread.commit.total",
                        "kafka.producer.txn.commit.time.ns.total",
                        "kafka.consumer.fetch.manager.records.lag.max",
                        "canvasflow.frames.processed");
        List<String> dropped =
                List.of(
                        "kafka.stream.state.num.immutable.mem.table",
                        "kafka.stream.task.process.total",
                        "kafka.stream.processor.node.process.total",
                        "kafka.stream.record.cache.hit.ratio.avg",
                        "kafka.stream.topic.bytes.consumed.total");

        // When each is registered (the last with a partition tag, as the consumer's lag per
        // partition is)
        kept.forEach(name -> registry.gauge(name, Tags.of("client.id", "c"), 1.0));
        dropped.forEach(name -> registry.gauge(name, Tags.of("task.id", "0_1"), 1.0));
        registry.gauge("kafka.consumer.fetch.manager.records.lag", Tags.of("partition", "3"), 1.0);

        // Then only the instance-, thread- and client-level ones are in the registry
        assertEquals(
                kept.stream().sorted().toList(),
                registry.getMeters().stream()
                        .map(Meter::getId)
                        .map(Meter.Id::getName)
                        .sorted()
                        .toList());
    }
}
