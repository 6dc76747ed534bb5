package io.canvasflow.tools.bench;

import io.canvasflow.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code canvasflow bench} in a child JVM ({@link ChildJvm}), run as the command line runs it, for
 * tests that stop it with a signal or give it an environment of their own. It halts by itself when
 * the test JVM goes away.
 */
public final class ChildBench {

    /**
     * How a run ended.
     *
     * @param exit its exit status
     * @param output all it wrote, standard output and error
     */
    record Ended(int exit, String output) {

        /**
         * Whether it wrote a line, whole, before the first line that holds some text.
         *
         * @param line the line
         * @param later what a later line holds, such as its refusal
         * @return whether both are there, in that order
         */
        boolean saidBefore(String line, String later) {
            List<String> lines = output.lines().toList();
            int said = lines.indexOf(line);
            int next =
                    lines.stream()
                            .filter(l -> l.contains(later))
                            .findFirst()
                            .map(lines::indexOf)
                            .orElse(-1);
            return said >= 0 && next > said;
        }
    }

    private ChildBench() {}

    /**
     * Runs {@code bench} with the given arguments and exits with its status.
     *
     * @param args the arguments of {@code bench}, the subcommand first
     */
    public static void main(String[] args) {
        ChildJvm.haltWhenParentGoes();
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    /**
     * Runs {@code bench} in a child JVM whose environment sets CanvasFlow's settings with the given
     * variables alone (this JVM's variables that serve would read as settings are left out, as
     * {@link ServeProcess#environment} leaves them out of serve's), and waits for it to end.
     *
     * @param variables the variables to add
     * @param log where its output goes
     * @param args the arguments of {@code bench}, the subcommand first
     * @return how it ended
     * @throws AssertionError when it has not ended within 50 s
     */
    static Ended run(Map<String, String> variables, Path log, String... args)
            throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(ServeProcess.environment(System.getenv()));
        environment.putAll(variables);
        Process bench =
                ChildJvm.start(
                        List.of("-Xmx256m"), ChildBench.class, List.of(args), log, environment);
        try {
            if (!bench.waitFor(50, TimeUnit.SECONDS)) {
                throw new AssertionError("bench " + String.join(" ", args) + " did not stop");
            }
            return new Ended(bench.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            bench.destroyForcibly();
        }
    }
}
