package io.canvasflow.clients;

import java.util.concurrent.CompletableFuture;

/** Publish jobs run beside a test: started on another thread, stopped by the test. */
public final class BackgroundJobs {

    private BackgroundJobs() {}

    /**
     * Runs the job on a pool thread until it ends or {@link PublishJob#stop()} is called.
     *
     * @param job the job
     * @return its completion (an interrupt ends it quietly)
     */
    public static CompletableFuture<Void> start(PublishJob job) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        job.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }
}
