package io.canvasflow.topology.reliability;

import io.canvasflow.testsupport.ChildJvm;
import io.canvasflow.topology.ServeCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code canvasflow serve} ({@link ServeCommand#main}) in a child JVM on this JVM's class path, its
 * output in a log file, so that a test can kill it with SIGKILL as a crash would. The child halts
 * by itself when the test JVM goes away, however it goes (its standard input, a pipe from this JVM,
 * ends), so that no serve outlives a test run that was killed.
 */
final class ChildServe implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildServe(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code serve} with the given model and settings.
     *
     * @param settings CanvasFlow settings and Kafka properties, passed as {@code -D key=value}
     * @param log where the child's output goes
     */
    static ChildServe start(Path model, Map<String, String> settings, Path log) throws IOException {
        List<String> args = new ArrayList<>(List.of("--model", model.toString()));
        settings.forEach(
                (k, v) -> {
                    args.add("-D");
                    args.add(k + "=" + v);
                });
        Files.createDirectories(log.getParent());
        Process process =
                ChildJvm.start(
                        List.of(
                                "-Xmx512m",
                                "-XX:+UseSerialGC",
                                // One PyTorch thread: on a small shared host more threads spin
                                // against each other.
                                "-Dai.djl.pytorch.num_threads=1",
                                "-Dai.djl.pytorch.num_interop_threads=1"),
                        ChildServe.class,
                        args,
                        log);
        return new ChildServe(process, log);
    }

    /**
     * The child's entry point: {@code serve} with the given arguments, and a watchdog that halts
     * the JVM when its standard input ends, that is when the JVM that started it is gone.
     *
     * @param args the arguments of {@code serve}
     */
    public static void main(String[] args) {
        ChildJvm.haltWhenParentGoes();
        ServeCommand.main(args);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the child with SIGKILL, as the kernel's OOM killer or a power cut would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child JVM did not die within 30 s of SIGKILL");
        }
    }

    /** The last lines of the child's output, for a failure message. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n--- last lines of "
                    + log
                    + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "\n(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
