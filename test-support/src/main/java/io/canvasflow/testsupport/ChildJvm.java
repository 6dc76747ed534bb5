package io.canvasflow.testsupport;

import io.canvasflow.cli.options.JavaCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A second JVM on this test's class path, for tests of what a separate process does (a serve that
 * is killed, a SIGTERM or Ctrl-C): offline, DJL's tracking off, its output in a log file.
 */
public final class ChildJvm {

    /** Bit of SIGINT (2) in {@code /proc/self/status}'s {@code SigIgn} mask. */
    private static final long SIGINT_BIT = 1L << 1;

    private ChildJvm() {}

    /**
     * Starts {@code mainClass} in a child JVM.
     *
     * @param jvmOptions options before the class name, such as {@code -Xmx512m}
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @param log where standard output and error go
     * @return the running process
     */
    public static Process start(
            List<String> jvmOptions, Class<?> mainClass, List<String> args, Path log)
            throws IOException {
        return start(jvmOptions, mainClass, args, log, null);
    }

    /**
     * Starts {@code mainClass} in a child JVM with an environment of its own.
     *
     * @param jvmOptions options before the class name
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @param log where standard output and error go
     * @param environment the child's whole environment, in place of this JVM's
     * @return the running process
     */
    public static Process start(
            List<String> jvmOptions,
            Class<?> mainClass,
            List<String> args,
            Path log,
            Map<String, String> environment)
            throws IOException {
        return launch(command(List.of(), jvmOptions, mainClass, args), log, environment);
    }

    /**
     * Starts {@code mainClass} in a child JVM that acts on SIGINT as on Ctrl-C, even where this JVM
     * was started with SIGINT ignored (a background job of a non-interactive shell, as a build
     * often is): a JVM leaves an ignored SIGINT ignored, and its children inherit that. Such a
     * child is started through coreutils' {@code env --default-signal=INT}.
     *
     * @param jvmOptions options before the class name
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @param log where standard output and error go
     * @return the running process
     */
    public static Process startInterruptible(
            List<String> jvmOptions, Class<?> mainClass, List<String> args, Path log)
            throws IOException {
        List<String> prefix =
                sigintIgnored() ? List.of("env", "--default-signal=INT") : List.<String>of();
        return launch(command(prefix, jvmOptions, mainClass, args), log, null);
    }

    /**
     * For a child's {@code main}: halts the JVM when its standard input ends, that is when the JVM
     * that started it is gone however it went, so that no child outlives a killed test run.
     */
    public static void haltWhenParentGoes() {
        Thread watchdog =
                new Thread(
                        () -> {
                            try {
                                while (System.in.read() != -1) {
                                    // nothing is ever sent; only the end matters
                                }
                            } catch (IOException e) {
                                // the pipe broke: the parent is gone all the same
                            }
                            Runtime.getRuntime().halt(137);
                        },
                        "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * The child's command line: {@code prefix}, then java on this test's class path with {@code
     * jvmOptions}, DJL offline and its tracking off, then {@code mainClass} and {@code args}.
     */
    private static List<String> command(
            List<String> prefix, List<String> jvmOptions, Class<?> mainClass, List<String> args) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dai.djl.offline=true");
        options.add("-DOPT_OUT_TRACKING=true");
        List<String> command = JavaCommand.forClass(prefix, options, mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * Starts a command with its output and errors in {@code log}, in {@code environment} alone
     * where that is not null.
     */
    private static Process launch(List<String> command, Path log, Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        return builder.start();
    }

    /** Whether this JVM runs with SIGINT ignored (Linux; false where it cannot tell). */
    private static boolean sigintIgnored() {
        try {
            for (String line :
                    Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & SIGINT_BIT) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to restore
        }
        return false;
    }
}
