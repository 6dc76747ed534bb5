package io.canvasflow.cli.options;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What the subcommands share: picocli injects their {@link CommandSpec} here, which gives them the
 * command line's output streams and lets them report a wrong option as a usage error.
 */
public abstract class BaseCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    /** The command line's standard output. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command line's standard error. */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error: picocli prints the message and the usage, and exits with status 2. */
    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * For a command that runs against the cluster {@code --bootstrap-servers} names, or a broker of
     * its own without the flag: fails as a usage error, with {@link KafkaOptions#unreachable}'s
     * sentence, when that cluster does not answer.
     *
     * @param kafka the command's Kafka options
     * @throws ParameterException when the cluster named does not answer
     */
    protected void requireReachable(KafkaOptions kafka) {
        String unreachable = kafka.unreachable();
        if (unreachable != null) {
            throw usage(unreachable);
        }
    }

    /** A usage error with its cause. */
    protected ParameterException usage(String message, Throwable cause) {
        return new ParameterException(spec.commandLine(), message, cause);
    }
}
