package io.canvasflow.topology;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;

/**
 * Keeps Kafka's per-task, per-processor, per-store and per-partition metrics out of {@code
 * /metrics}. Kafka Streams has about 160 of them for every partition an instance owns (84 are
 * RocksDB properties of its canvas store), so that 48 partitions made 7,862 lines of {@code
 * /metrics} where the instance's own and its threads' and clients' metrics take about 1,200. At 512
 * partitions, collecting them took Micrometer's Kafka binder and the scrapes about a sixth of the
 * instance's CPU time (a Java Flight Recording of {@code bench scale}). The client-, thread- and
 * producer-level metrics stay, and so do CanvasFlow's own. Kafka keeps every metric on JMX.
 */
final class PerPartitionMeters implements MeterFilter {

    /** Micrometer's names of the Kafka Streams groups that have a meter per task, node or store. */
    private static final List<String> PER_TASK_GROUPS =
            List.of(
                    "kafka.stream.task.",
                    "kafka.stream.processor.node.",
                    "kafka.stream.state.",
                    "kafka.stream.record.cache.",
                    "kafka.stream.topic.");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        String name = id.getName();
        if (!name.startsWith("kafka.")) {
            return MeterFilterReply.NEUTRAL;
        }
        if (PER_TASK_GROUPS.stream().anyMatch(name::startsWith) || id.getTag("partition") != null) {
            return MeterFilterReply.DENY;
        }
        return MeterFilterReply.NEUTRAL;
    }
}
