package io.canvasflow.cli.options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts a class in a child JVM on this JVM's own class path, as the
 * benchmarks start serve and a broker, and as tests start a process they kill.
 */
public final class JavaCommand {

    private JavaCommand() {}

    /**
     * The words that start {@code mainClass}: the prefix, this JVM's {@code java}, the options,
     * this JVM's class path and the class name; the caller adds the class's arguments.
     *
     * @param prefix words before {@code java} (for example {@code taskset -c 0}), or none
     * @param jvmOptions options of the child JVM, such as {@code -Xmx512m} or {@code -Dkey=value}
     * @param mainClass the class whose {@code main} runs
     * @return a new list the caller may add to
     */
    public static List<String> forClass(
            List<String> prefix, List<String> jvmOptions, Class<?> mainClass) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        return command;
    }
}
