package io.canvasflow.cli;

import io.canvasflow.clients.MasksCommand;
import io.canvasflow.clients.PublishCommand;
import io.canvasflow.clients.view.ViewCommand;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.registry.ModelsCommand;
import io.canvasflow.tools.bench.BenchCommand;
import io.canvasflow.tools.capacity.CapacityCommand;
import io.canvasflow.tools.demo.DemoCommand;
import io.canvasflow.tools.replay.ReplayCommand;
import io.canvasflow.topology.ServeCommand;
import io.canvasflow.trainer.EvaluateCommand;
import io.canvasflow.trainer.TrainCommand;
import io.canvasflow.trainer.label.LabelCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code canvasflow} command line: one root command, one class per subcommand.
 *
 * <p>To add a subcommand, write a picocli {@code @Command} class in the module whose work it does
 * ({@code topology}, {@code clients}, {@code trainer}, {@code tools}, {@code model-registry}; here
 * only for {@code broker}), extending {@code cli-options}' {@code BaseCommand} and using its mixins
 * for shared options, and list it in {@code subcommands} below; it inherits {@code --help} and
 * {@code --version} from this command.
 */
@Command(
        name = "canvasflow",
        // --help and --version on every subcommand, declared once here.
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = CanvasflowCli.Version.class,
        description = "Recurrent canvas segmentation of live camera video on Kafka Streams.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            BrokerCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            LabelCommand.class,
            ServeCommand.class,
            ModelsCommand.class,
            PublishCommand.class,
            MasksCommand.class,
            ViewCommand.class,
            ReplayCommand.class,
            BenchCommand.class,
            CapacityCommand.class,
        })
public final class CanvasflowCli implements Callable<Integer> {

    static {
        quietLibraryLogging();
    }

    /** Set to see the stack trace of a failure no command turned into its own sentence. */
    static final String TRACE_ENV = "CANVASFLOW_TRACE";

    /** The launcher's heap size ({@code ./canvasflow}, {@code deploy/docker/canvasflow-serve}). */
    static final String HEAP_ENV = "CANVASFLOW_HEAP";

    @Spec private CommandSpec spec;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@code main} runs it: a bad option or setting is one line on standard
     * error, {@code canvasflow COMMAND: SENTENCE}, and status 2, not the sentence followed by the
     * whole usage text.
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        return new CommandLine(new CanvasflowCli())
                .setParameterExceptionHandler(
                        (e, args) -> {
                            CommandLine failed = e.getCommandLine();
                            failed.getErr().println(sentence(e));
                            failed.getErr().flush();
                            return 2;
                        })
                .setExecutionStrategy(CanvasflowCli::runSayingErrors)
                .setExecutionExceptionHandler(CanvasflowCli::unexpectedFailure);
    }

    /**
     * Runs the command as picocli does, and says an {@link Error} it throws as any other failure:
     * picocli hands only an {@link Exception} to the handler and lets an Error (a command out of
     * heap for the sizes it was given, a stack overflow) through as a stack trace and status 1.
     */
    static int runSayingErrors(ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (Error e) {
            ParseResult ran = parsed;
            while (ran.hasSubcommand()) {
                ran = ran.subcommand();
            }
            return unexpectedFailure(e, ran.commandSpec().commandLine(), parsed);
        }
    }

    /**
     * A bad command line in one sentence: picocli's words, and where a command or option was not
     * understood, picocli's guesses at what was meant and where the right ones are listed.
     */
    static String sentence(ParameterException e) {
        String name = e.getCommandLine().getCommandSpec().qualifiedName();
        String text = name + ": " + e.getMessage();
        boolean unknown =
                e instanceof UnmatchedArgumentException
                        || e.getMessage().startsWith("Missing required subcommand");
        if (!unknown) {
            return text;
        }
        List<String> guesses =
                e instanceof UnmatchedArgumentException u ? u.getSuggestions() : List.of();
        return text
                + (guesses.isEmpty() ? "" : "; did you mean " + String.join(" or ", guesses) + "?")
                + " (see '"
                + name
                + " --help')";
    }

    /**
     * A failure no command turned into its own sentence (each command says a bad argument, setting
     * or file itself, with status 2): one line that names the command and what failed, and status
     * 1. The stack trace is for a bug report, not for every terminal, so it comes only when {@value
     * #TRACE_ENV} is set. Running out of memory says what to do about it: an option's size or count
     * too large for the heap, which the launcher sets from {@value #HEAP_ENV}.
     */
    static int unexpectedFailure(Throwable e, CommandLine failed, ParseResult parsed) {
        PrintWriter err = failed.getErr();
        err.println(
                failed.getCommandSpec().qualifiedName()
                        + ": failed: "
                        + (e instanceof OutOfMemoryError ? outOfMemory(e) : describe(e))
                        + " (set "
                        + TRACE_ENV
                        + "=1 for the stack trace)");
        if (System.getenv(TRACE_ENV) != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** What running out of memory means here, and what to do: the heap and how to raise it. */
    static String outOfMemory(Throwable e) {
        return String.format(
                Locale.ROOT,
                "out of memory (%s) in this JVM's heap of %.1f GiB; give smaller sizes or counts,"
                        + " or more heap with %s",
                describe(e),
                Runtime.getRuntime().maxMemory() / (double) (1L << 30),
                HEAP_ENV);
    }

    /** The exception's first message line, then each cause's that adds to it. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(firstLine(e));
        // at most 8 causes: a chain that loops back on itself must not loop here
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 8; depth++, c = c.getCause()) {
            String line = firstLine(c);
            if (!text.toString().contains(line)) {
                text.append(": ").append(line);
            }
        }
        return text.toString();
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message).strip();
    }

    /** Without a subcommand there is nothing to do: say so, with the usage. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * Kafka's client and server classes log every configuration at INFO, and DJL four lines at
     * every engine start (the native library found, the graph optimizer, the thread counts, which
     * serve says in its own line), so a command's one-sentence error came after them; keep them at
     * WARN unless the user chose otherwise with {@code -Dorg.slf4j.simpleLogger.log.<name>=...}.
     * Runs before any logger exists.
     */
    private static void quietLibraryLogging() {
        for (String name :
                new String[] {"org.apache.kafka", "kafka", "state.change.logger", "ai.djl"}) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        // Skipped records: our handler's one line, not Kafka's stack trace (see ServeCommand);
        // DJL's GPU probe, twice per start on a CPU-only machine: DeviceChoice says it in one
        // line; the embedded broker's controller, which warns at every first start that its new
        // metadata log is empty ("Performing controller activation"), as a new broker's is; and
        // its internal-topic creation, which warns when two clients' first requests race to create
        // __transaction_state ("TOPIC_ALREADY_EXISTS", seen once in two demos): the topic is
        // there, and a client that gets no coordinator says so itself.
        for (String name :
                new String[] {
                    ServeCommand.RECORD_DESERIALIZER,
                    DeviceChoice.DJL_GPU_PROBE_LOGGER,
                    "org.apache.kafka.controller.QuorumController",
                    "kafka.server.DefaultAutoTopicCreationManager"
                }) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
    }

    /** The version in the jar manifest, or a note that this is a development build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CanvasflowCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "canvasflow " + (version == null ? "(development build)" : version)
            };
        }
    }
}
