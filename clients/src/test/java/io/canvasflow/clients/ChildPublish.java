package io.canvasflow.clients;

import io.canvasflow.testsupport.ChildJvm;
import picocli.CommandLine;

/**
 * {@code canvasflow publish} in a child JVM ({@link ChildJvm}), run as the command line runs it,
 * for tests that stop it with a signal. It halts by itself when the test JVM goes away.
 */
public final class ChildPublish {

    private ChildPublish() {}

    /**
     * Runs {@code publish} with the given arguments and exits with its status.
     *
     * @param args the arguments of {@code publish}
     */
    public static void main(String[] args) {
        ChildJvm.haltWhenParentGoes();
        System.exit(new CommandLine(new PublishCommand()).execute(args));
    }
}
