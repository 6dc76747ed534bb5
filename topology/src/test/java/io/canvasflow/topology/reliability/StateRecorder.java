package io.canvasflow.topology.reliability;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Watches a Kafka Streams instance from outside (the application owns its state listener): polls
 * its state every 10 ms and keeps the sequence of states seen. A poll can miss a very short state;
 * {@link #failedThreads} and the stream thread names catch a replaced thread whatever its timing.
 */
final class StateRecorder implements AutoCloseable {

    private final List<KafkaStreams.State> seen = new ArrayList<>();
    private volatile boolean running = true;
    private Thread thread;

    /** Starts watching. */
    void watch(KafkaStreams streams) {
        thread =
                new Thread(
                        () -> {
                            while (running) {
                                KafkaStreams.State now = streams.state();
                                synchronized (seen) {
                                    if (seen.isEmpty() || seen.get(seen.size() - 1) != now) {
                                        seen.add(now);
                                    }
                                }
                                try {
                                    Thread.sleep(10);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "state-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    /** The states seen so far, each change once. */
    List<KafkaStreams.State> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Kafka Streams' client metric {@code failed-stream-threads}: threads that died so far. */
    static double failedThreads(KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("failed-stream-threads"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5_000);
        }
    }
}
