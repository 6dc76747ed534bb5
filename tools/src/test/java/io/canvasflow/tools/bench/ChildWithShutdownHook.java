package io.canvasflow.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM that, like the broker's, does its clean-up in a shutdown hook: on SIGTERM it writes
 * the file it was given, and a SIGKILL leaves no file.
 */
public final class ChildWithShutdownHook {

    private ChildWithShutdownHook() {}

    /**
     * Prints a line once its hook is in place, then waits to be stopped.
     *
     * @param args the file the hook writes
     * @throws InterruptedException never in practice: the process ends by a signal
     */
    public static void main(String[] args) throws InterruptedException {
        Path marker = Path.of(args[0]);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        Files.writeString(marker, "stopped cleanly");
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                }));
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
