package io.canvasflow.topology.reliability;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Cameras publishing live in a background thread: every {@code period}, the next frame of each
 * camera, until sequence {@code last}, but never beyond the sequence that {@code allowed} gives, so
 * that a test can keep the cameras a bounded distance ahead of the masks: then a kill or a stop
 * lands in the middle of every camera's stream however slow the host is.
 */
final class CameraPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final List<String> cameras;
    private final long last;
    private final Duration period;
    private final LongSupplier allowed;
    private final AtomicLong published = new AtomicLong();
    private final Map<String, Long> sentNanos = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /**
     * Publishes frames {@code 1..frames} of every camera, staying at most {@code lead} frames per
     * camera ahead of the masks recorded so far.
     */
    /** The cameras of a workload, each at most its lead ahead of its masks. */
    static CameraPublisher aheadOfMasks(
            EmbeddedKafkaBroker kafka, Fixtures.Workload load, TopicRecorder<?> masks) {
        return aheadOfMasks(
                kafka, load.cameras(), load.frames(), load.period(), masks, load.lead());
    }

    static CameraPublisher aheadOfMasks(
            EmbeddedKafkaBroker kafka,
            List<String> cameras,
            long frames,
            Duration period,
            TopicRecorder<?> masks,
            long lead) {
        return new CameraPublisher(
                kafka, cameras, 1, frames, period, () -> masks.size() / cameras.size() + lead);
    }

    CameraPublisher(
            EmbeddedKafkaBroker kafka,
            List<String> cameras,
            long first,
            long last,
            Duration period,
            LongSupplier allowed) {
        this.producer = Fixtures.producer(kafka);
        this.allowed = allowed;
        this.cameras = cameras;
        this.last = last;
        this.period = period;
        this.thread = new Thread(() -> run(first), "cameras");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(long first) {
        try {
            long next = System.nanoTime();
            for (long seq = first; seq <= last && running; seq++) {
                while (seq > allowed.getAsLong() && running) {
                    producer.flush();
                    Thread.sleep(20);
                    next = System.nanoTime();
                }
                for (String camera : cameras) {
                    sentNanos.put(camera + "#" + seq, System.nanoTime());
                    producer.send(
                            Fixtures.record(Topics.FRAMES.name(), Fixtures.frame(camera, seq)));
                }
                published.set(seq);
                next += period.toNanos();
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** The last sequence handed to the producer. */
    long published() {
        return published.get();
    }

    /**
     * When a frame was handed to the producer, on {@link System#nanoTime()}'s clock, or null when
     * it has not been yet.
     */
    Long sentNanos(String camera, long sequence) {
        return sentNanos.get(camera + "#" + sequence);
    }

    /** Whether every frame has been published. */
    boolean done() {
        return !thread.isAlive();
    }

    /** Waits until every frame has been published and flushed. */
    void awaitDone(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the cameras did not finish publishing within " + timeout);
        }
        if (failure != null) {
            throw new IllegalStateException("publishing failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
        producer.close(Duration.ofSeconds(10));
    }
}
