package io.canvasflow.tools.bench;

import io.canvasflow.cli.options.JavaCommand;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Kafka broker in a child JVM (this class's {@link #main}: an {@link
 * EmbeddedKafkaBroker} on free loopback ports, with this JVM's class path), so that what this
 * process measures about itself (its resident set, its threads) is the application's and not the
 * broker's. Closing it stops the child, which deletes its temporary data directory on the way out.
 */
public final class ChildBroker implements AutoCloseable {

    private static final String READY = "Kafka broker ready at ";
    private static final int TAIL_LINES = 20;

    private final Process process;
    private final String bootstrapServers;

    private ChildBroker(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker and waits until it takes clients.
     *
     * @param heap the child's maximum heap, for example {@code 512m}
     * @param timeout how long to wait for it
     * @return the running broker
     * @throws IllegalStateException when it cannot be started or is not ready in time, with the
     *     last lines it printed
     */
    public static ChildBroker start(String heap, Duration timeout) {
        return start(heap, timeout, List.of());
    }

    /**
     * Starts the broker under a launcher prefix, for example {@code taskset -c 1} to keep it on a
     * core of its own, and waits until it takes clients.
     *
     * @param heap the child's maximum heap, for example {@code 512m}
     * @param timeout how long to wait for it
     * @param prefix words before the {@code java} command, or none
     * @return the running broker
     * @throws IllegalStateException when it cannot be started or is not ready in time
     */
    public static ChildBroker start(String heap, Duration timeout, List<String> prefix) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        for (String logger : new String[] {"org.apache.kafka", "kafka", "state.change.logger"}) {
            options.add("-Dorg.slf4j.simpleLogger.log." + logger + "=warn");
        }
        List<String> command = JavaCommand.forClass(prefix, options, ChildBroker.class);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a broker JVM: " + e.getMessage(), e);
        }
        CompletableFuture<String> ready = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread reader =
                new Thread(
                        () -> drain(process, ready, tail),
                        "child-broker-" + process.pid() + "-out");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChildBroker(process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            stop(process);
            String lines;
            synchronized (tail) {
                lines = String.join("\n", tail);
            }
            throw new IllegalStateException(
                    "the broker JVM was not ready within "
                            + timeout.toSeconds()
                            + " s; it printed:\n"
                            + lines,
                    e);
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the broker JVM", e);
        }
    }

    /**
     * The child: starts a broker on free loopback ports, prints its address on a line the parent
     * waits for, and runs until it is stopped; the shutdown hook closes the broker, which deletes
     * its data directory. The parent launches this class, not the {@code canvasflow} command, which
     * lives in a module above this one.
     *
     * @param args none
     * @throws InterruptedException never in practice: the process ends by a signal
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().optPorts(0, 0).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "child-broker-stop"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Reads the child's output to its end: finds the ready line, keeps the last lines. */
    private static void drain(
            Process process, CompletableFuture<String> ready, Deque<String> tail) {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                int at = line.indexOf(READY);
                if (at >= 0) {
                    // "ready at HOST:PORT", maybe followed by more words
                    ready.complete(line.substring(at + READY.length()).trim().split("\\s+")[0]);
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
        ready.completeExceptionally(new IllegalStateException("the broker JVM exited"));
    }

    /** The broker's {@code host:port}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Stops the child: a normal shutdown first (the broker closes cleanly), then a kill. */
    @Override
    public void close() {
        stop(process);
    }

    /**
     * Stops a child process: SIGTERM, so that it closes cleanly (a broker or serve deletes its
     * temporary folders on the way out), then SIGKILL after 30 s. It waits even when the calling
     * thread is interrupted, as it is when a benchmark is stopped with Ctrl-C: a child killed at
     * once would leave its folders behind. The interrupt is kept for the caller.
     *
     * @param process the child
     */
    static void stop(Process process) {
        boolean interrupted = Thread.interrupted();
        process.destroy();
        try {
            if (!waitUninterruptibly(process, 30)) {
                process.destroyForcibly();
                waitUninterruptibly(process, 10);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for a process to end; an interrupt meanwhile is kept for later, not obeyed. */
    private static boolean waitUninterruptibly(Process process, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor(
                            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
