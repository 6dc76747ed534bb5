package io.canvasflow.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second JVM on this test's class path, for tests of what a separate process does (a serve that
 * is killed, a SIGTERM): offline, DJL's tracking off, its output in a log file.
 */
public final class ChildJvm {

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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dai.djl.offline=true");
        command.add("-DOPT_OUT_TRACKING=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
