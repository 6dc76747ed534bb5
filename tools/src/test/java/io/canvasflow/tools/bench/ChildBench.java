package io.canvasflow.tools.bench;

import io.canvasflow.testsupport.ChildJvm;
import picocli.CommandLine;

/**
 * {@code canvasflow bench} in a child JVM ({@link ChildJvm}), run as the command line runs it, for
 * tests that stop it with a signal. It halts by itself when the test JVM goes away.
 */
public final class ChildBench {

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
}
