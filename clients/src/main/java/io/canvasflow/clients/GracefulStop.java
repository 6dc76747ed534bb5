package io.canvasflow.clients;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A shutdown hook for a command's lifetime: on Ctrl-C it asks the work to stop, then holds the JVM
 * until the command has finished (flushed the producer, closed the videos) or ten seconds have
 * passed. Closing it removes the hook.
 */
public final class GracefulStop implements AutoCloseable {

    private static final long GRACE_SECONDS = 10;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    /**
     * Adds the hook.
     *
     * @param name the hook thread's name
     * @param stop asks the work to stop
     */
    public GracefulStop(String name, Runnable stop) {
        this(name, stop, Duration.ofSeconds(GRACE_SECONDS));
    }

    /**
     * Adds the hook, with a longer grace for work that takes longer to finish (a replay stops a
     * topology and a broker and deletes their folders).
     *
     * @param name the hook thread's name
     * @param stop asks the work to stop
     * @param grace how long the JVM waits for the command to finish
     */
    public GracefulStop(String name, Runnable stop, Duration grace) {
        this.hook =
                new Thread(
                        () -> {
                            stop.run();
                            try {
                                done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running and now lets it go.
        }
    }
}
