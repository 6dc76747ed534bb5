package io.canvasflow.clients;

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
        this.hook =
                new Thread(
                        () -> {
                            stop.run();
                            try {
                                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
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
