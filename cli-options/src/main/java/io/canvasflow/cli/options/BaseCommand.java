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

    /**
     * Fails as a usage error that names one option, what it takes and what it got: {@code expected
     * --fps > 0 but found -1.0}.
     *
     * @param holds whether the value is in range
     * @param option the option
     * @param expected what it takes, for example {@code "> 0"}
     * @param found what it got
     * @throws ParameterException when it does not hold
     */
    protected void require(boolean holds, String option, String expected, Object found) {
        if (!holds) {
            throw usage("expected " + option + " " + expected + " but found " + found);
        }
    }

    /**
     * Fails as a usage error when a check found a problem.
     *
     * @param problem the problem in one sentence, or null when there is none
     * @throws ParameterException when there is one
     */
    protected void refuseIf(String problem) {
        if (problem != null) {
            throw usage(problem);
        }
    }

    /** A usage error with its cause. */
    protected ParameterException usage(String message, Throwable cause) {
        return new ParameterException(spec.commandLine(), message, cause);
    }
}
