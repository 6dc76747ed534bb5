package io.canvasflow.topology;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how long restoring the state stores from their changelogs took: one INFO line when the
 * restores that ran together have all ended ("restored 10000 records of 12 partitions in 6.4 s"),
 * and the gauges {@code canvasflow_state_restore_seconds} and {@code
 * canvasflow_state_restore_records} for the last such round. A restarted instance with a wiped
 * state directory is not ready until this has happened, so its length is part of a restart's cost.
 */
final class RestoreLog implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreLog.class);

    private final LongSupplier clock;
    private final Map<TopicPartition, Long> running = new HashMap<>();
    private long roundStart;
    private long roundRecords;
    private int roundPartitions;
    private volatile double lastSeconds = Double.NaN;
    private volatile double lastRecords = Double.NaN;

    RestoreLog(MeterRegistry registry, LongSupplier clock) {
        this.clock = clock;
        Gauge.builder("canvasflow.state.restore.seconds", this, r -> r.lastSeconds)
                .description("How long the last round of state-store restores took")
                .register(registry);
        Gauge.builder("canvasflow.state.restore.records", this, r -> r.lastRecords)
                .description("Changelog records the last round of state-store restores read")
                .register(registry);
    }

    @Override
    public synchronized void onRestoreStart(
            TopicPartition partition, String store, long startingOffset, long endingOffset) {
        if (running.isEmpty()) {
            roundStart = clock.getAsLong();
            roundRecords = 0;
            roundPartitions = 0;
        }
        running.put(partition, startingOffset);
        LOG.debug(
                "restoring {} of {} from offset {} to {}",
                partition,
                store,
                startingOffset,
                endingOffset);
    }

    @Override
    public synchronized void onBatchRestored(
            TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        roundRecords += numRestored;
    }

    @Override
    public synchronized void onRestoreEnd(
            TopicPartition partition, String store, long totalRestored) {
        finish(partition);
    }

    @Override
    public synchronized void onRestoreSuspended(
            TopicPartition partition, String store, long totalRestored) {
        finish(partition);
    }

    private void finish(TopicPartition partition) {
        if (running.remove(partition) == null) {
            return;
        }
        roundPartitions++;
        if (running.isEmpty()) {
            double seconds = (clock.getAsLong() - roundStart) / 1000.0;
            lastSeconds = seconds;
            lastRecords = roundRecords;
            LOG.info(
                    "restored {} changelog records of {} partition(s) in {} s",
                    roundRecords,
                    roundPartitions,
                    String.format(java.util.Locale.ROOT, "%.1f", seconds));
        }
    }
}
