package io.canvasflow.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.cli.options.JavaCommand;
import io.canvasflow.testsupport.ChildJvm;
import io.canvasflow.tools.ShippedModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark stopped as a user or a supervisor stops it: its child JVMs stop cleanly, and neither
 * they nor it leave a temporary folder behind.
 */
class BenchShutdownTest {

    @TempDir Path dir;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldLetAChildStopCleanlyWhenTheStoppingThreadIsInterrupted() throws Exception {
        // Given a child JVM that cleans up in a shutdown hook, as the broker does
        Path marker = dir.resolve("stopped");
        Process child =
                ChildJvm.start(
                        List.of("-Xmx64m"),
                        ChildWithShutdownHook.class,
                        List.of(marker.toString()),
                        dir.resolve("child.log"));
        try {
            awaitLine(dir.resolve("child.log"), "ready", child);

            // When a thread whose interrupt flag is set (a benchmark stopped with Ctrl-C) stops it
            Thread.currentThread().interrupt();
            ChildBroker.stop(child);

            // Then the child got SIGTERM and time to run its hook, not an immediate SIGKILL, and
            // the interrupt is still there for the caller
            assertTrue(Thread.interrupted(), "the interrupt was kept");
            assertEquals(143, child.exitValue());
            assertEquals("stopped cleanly", Files.readString(marker));
        } finally {
            Thread.interrupted();
            child.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shouldStopTheChildBrokerAndDeleteTemporaryFoldersOnSigterm() throws Exception {
        // Given bench soak segmenting frames, its broker in a child JVM, every JVM's temporary
        // folders in a folder of the test's own
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("soak.log");
        List<String> command =
                JavaCommand.forClass(
                        List.of(),
                        List.of("-Xmx768m", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"),
                        ChildBench.class);
        command.addAll(
                List.of(
                        "soak",
                        "--frames",
                        "100000",
                        "--cameras",
                        "1",
                        "--partitions",
                        "1",
                        "--sample-interval",
                        "1s",
                        "--model",
                        ShippedModels.rnn().toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // inherited by the broker's JVM too
        builder.environment()
                .put(
                        "JAVA_TOOL_OPTIONS",
                        "-Djava.io.tmpdir=" + tmp + " -Dai.djl.pytorch.num_threads=1");
        Process bench = builder.start();
        List<ProcessHandle> children = new ArrayList<>();
        try {
            // a sample line: frames are going through the topology
            awaitLine(log, " frames  heap ", bench);
            children.addAll(bench.descendants().toList());
            List<String> before = folders(tmp);
            assertTrue(!children.isEmpty(), "no child JVM" + tail(log));
            assertTrue(before.size() >= 2, "the broker's and the run's folders: " + before);

            // When it gets SIGTERM
            new ProcessBuilder("kill", "-TERM", Long.toString(bench.pid())).start().waitFor();

            // Then it exits as a JVM that ran its shutdown hooks exits on that signal
            assertTrue(bench.waitFor(120, TimeUnit.SECONDS), "soak ignored SIGTERM" + tail(log));
            assertEquals(143, bench.exitValue(), tail(log));
            // and its broker JVM is gone, and no temporary folder is left
            for (ProcessHandle child : children) {
                assertTrue(
                        child.onExit().get(10, TimeUnit.SECONDS) != null && !child.isAlive(),
                        "child " + child.pid() + " still runs");
            }
            assertEquals(List.of(), folders(tmp), "left behind, of " + before + tail(log));
        } finally {
            bench.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The folders directly in {@code tmp}. */
    private static List<String> folders(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    /** Waits until the log has a line containing {@code text}. */
    private static void awaitLine(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            assertTrue(process.isAlive(), "it exited" + tail(log));
            Thread.sleep(200);
        }
        throw new AssertionError("no line with '" + text + "'" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n--- output ---\n"
                    + String.join(
                            "\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "\n(no output: " + e + ")";
        }
    }
}
