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
        return start(model, settings, log, List.of());
    }

    /**
     * Starts {@code serve} with extra JVM options, such as {@code
     * -Dorg.slf4j.simpleLogger.log.X=info} to undo a level that this module's test {@code
     * simplelogger.properties} sets (the child shares the test class path, and so that file).
     */
    static ChildServe start(
            Path model, Map<String, String> settings, Path log, List<String> jvmOptions)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--model", model.toString()));
        settings.forEach(
                (k, v) -> {
                    args.add("-D");
                    args.add(k + "=" + v);
                });
        Files.createDirectories(log.getParent());
        List<String> options =
                new ArrayList<>(
                        List.of(
                                "-Xmx512m",
                                "-XX:+UseSerialGC",
                                // One PyTorch thread: on a small shared host more threads spin
                                // against each other.
                                "-Dai.djl.pytorch.num_threads=1",
                                "-Dai.djl.pytorch.num_interop_threads=1"));
        options.addAll(jvmOptions);
        Process process = ChildJvm.start(options, ChildServe.class, args, log);
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

    /** The child JVM's process id. */
    long pid() {
        return process.pid();
    }

    /**
     * A thread dump of the child ({@code jcmd PID Thread.print}), for a failure message: what each
     * of serve's threads was doing when a test saw it stall.
     */
    String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump =
                    new ProcessBuilder(
                                    jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                            .redirectErrorStream(true)
                            .start();
            // Read before waiting: a dump larger than the pipe's buffer would block jcmd.
            String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!dump.waitFor(30, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
            }
            return text;
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** Sends SIGTERM, as {@code kill PID}, {@code docker stop} or Kubernetes would. */
    void terminate() {
        // Through the handle: Process.destroy() also closes the pipe to the child's standard
        // input, and the child's watchdog would halt it with 137 before its hook ran.
        process.toHandle().destroy();
    }

    /**
     * Waits until the child exits.
     *
     * @return its exit status
     * @throws AssertionError when it is still running after the timeout
     */
    int awaitExit(java.time.Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("serve did not exit within " + timeout + logTail(40));
        }
        return process.exitValue();
    }

    /**
     * Waits until the child logs that it owns these frames partitions.
     *
     * @param partitions as serve logs them, for example {@code [0, 1]}
     * @throws AssertionError with the end of its log when it does not within the timeout
     */
    void awaitOwns(String partitions, java.time.Duration timeout) throws InterruptedException {
        String owns = "owns frames partitions " + partitions;
        Fixtures.await(
                "serve " + owns,
                timeout,
                () -> output().stream().anyMatch(l -> l.contains(owns)),
                () -> logTail(40));
    }

    /** Everything the child has written so far, line by line. */
    List<String> output() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
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
