package io.canvasflow.tools.bench;

import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.topology.CanvasFlowConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one exactly-once commit costs against this broker, with no model and no Kafka Streams: from
 * the processor's cores, a transactional producer sends a mask-sized and a canvas-sized record to
 * two partitions, then times the three calls a stream thread's commit makes and waits on ({@code
 * flush}, {@code sendOffsetsToTransaction}, {@code commitTransaction}); and a plain producer times
 * one acknowledged send, the broker's round trip.
 *
 * <p>A stream thread waits for its commit with its core idle, so this is the floor of what Kafka
 * costs a frame under exactly-once: commits per frame x this commit. On the 2-vCPU build machine a
 * round trip took 0.6-2.8 ms at p50 and a commit 4.3-9.7 ms, from one probe to the next
 * (docs/capacity.md, section 1). Each of the three calls is at least one round trip, and before it
 * appends a transaction's first record to a partition the broker checks the partition with its
 * transaction coordinator (transaction version 2).
 */
final class CommitProbe {

    private static final Logger LOG = LoggerFactory.getLogger(CommitProbe.class);

    /** Sizes of the two records of each transaction: a mask event's and a canvas's. */
    private static final int MASK_BYTES = 3_000;

    private static final int CANVAS_BYTES = 9_306;

    /** Transactions and round trips run untimed first, to warm the clients and broker up. */
    private static final int WARM_UP = 40;

    /** Transactions and round trips timed: the figures swing from one window to the next. */
    private static final int TIMED = 100;

    /** Between two transactions, so that the broker is not kept busier than a stream thread. */
    private static final long PAUSE_MS = 10;

    /**
     * The figures, in milliseconds.
     *
     * @param roundTripP50Ms one acknowledged send, median
     * @param roundTripP90Ms one acknowledged send, 90th percentile
     * @param flushMs the transaction's records sent and acknowledged, mean
     * @param offsetsMs {@code sendOffsetsToTransaction}, mean
     * @param endMs {@code commitTransaction}, mean
     */
    record Result(
            double roundTripP50Ms,
            double roundTripP90Ms,
            double flushMs,
            double offsetsMs,
            double endMs) {

        /** The whole commit: flush, offsets and end, mean milliseconds. */
        double commitMs() {
            return flushMs + offsetsMs + endMs;
        }
    }

    private CommitProbe() {}

    /**
     * Runs the probe on a thread of the processor's cores.
     *
     * @param config settings with bootstrap servers
     * @param placement where the processor runs
     * @param id a name unique to this run, for the topic, transactional id and group, which are
     *     deleted afterwards
     * @return the figures
     * @throws InterruptedException when interrupted
     * @throws IllegalStateException when the broker refuses the probe
     */
    static Result run(CanvasFlowConfig config, CorePlacement placement, String id)
            throws InterruptedException {
        String name = "canvasflow-commit-probe-" + id;
        KafkaClients.createTopic(config, name, 2);
        try {
            return runOn(config, placement, name);
        } finally {
            cleanUp(config, name);
        }
    }

    private static Result runOn(CanvasFlowConfig config, CorePlacement placement, String name)
            throws InterruptedException {
        AtomicReference<Result> result = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable probe =
                () -> {
                    try {
                        result.set(measure(config, name));
                    } catch (RuntimeException e) {
                        failure.set(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
        // Started from the processor's cores, the thread and its producers' I/O threads stay there.
        Thread thread =
                placement.onProcessorCores(
                        () -> {
                            Thread t = new Thread(probe, "canvasflow-commit-probe");
                            t.start();
                            return t;
                        });
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "the commit probe failed: " + failure.get().getMessage(), failure.get());
        }
        if (result.get() == null) {
            throw new InterruptedException("the commit probe was interrupted");
        }
        return result.get();
    }

    /**
     * Times the round trips and the transactions.
     *
     * @param name the probe's topic, also its transactional id and its offsets' group
     */
    private static Result measure(CanvasFlowConfig config, String name)
            throws InterruptedException {
        List<Double> roundTrips = roundTrips(config, name);
        Map<String, Object> p = KafkaClients.producer(config, "canvasflow-commit-probe");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name);
        List<Double> flush = new ArrayList<>();
        List<Double> offsets = new ArrayList<>();
        List<Double> end = new ArrayList<>();
        ConsumerGroupMetadata group = new ConsumerGroupMetadata(name);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (int i = 0; i < WARM_UP + TIMED; i++) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(name, 0, null, new byte[MASK_BYTES]));
                producer.send(new ProducerRecord<>(name, 1, null, new byte[CANVAS_BYTES]));
                long t0 = System.nanoTime();
                producer.flush();
                long t1 = System.nanoTime();
                producer.sendOffsetsToTransaction(
                        Map.of(new TopicPartition(name, 0), new OffsetAndMetadata(i + 1L)), group);
                long t2 = System.nanoTime();
                producer.commitTransaction();
                long t3 = System.nanoTime();
                if (i >= WARM_UP) {
                    flush.add((t1 - t0) / 1e6);
                    offsets.add((t2 - t1) / 1e6);
                    end.add((t3 - t2) / 1e6);
                }
                Thread.sleep(PAUSE_MS);
            }
        }
        return new Result(
                Stats.percentile(roundTrips, 50),
                Stats.percentile(roundTrips, 90),
                Stats.mean(flush),
                Stats.mean(offsets),
                Stats.mean(end));
    }

    /**
     * Deletes the probe's topic and its offsets' group, so that a cluster keeps nothing of the
     * probe but its expired transactional id; a failure is logged.
     */
    private static void cleanUp(CanvasFlowConfig config, String name) {
        try (Admin admin = Admin.create(KafkaClients.admin(config))) {
            admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
            admin.deleteConsumerGroups(List.of(name)).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn(
                    "could not delete the commit probe's topic and group {}: {}",
                    name,
                    e.toString());
        }
    }

    /** Acknowledged sends of a small record, one at a time, in milliseconds. */
    private static List<Double> roundTrips(CanvasFlowConfig config, String topic)
            throws InterruptedException {
        Map<String, Object> p = KafkaClients.producer(config, "canvasflow-round-trip-probe");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        List<Double> ms = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < WARM_UP + TIMED; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[100])).get();
                if (i >= WARM_UP) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                Thread.sleep(PAUSE_MS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "a send to " + topic + " failed: " + e.getCause().getMessage(), e);
        }
        return ms;
    }
}
