package io.canvasflow.cli;

import io.canvasflow.cli.options.CommandFailures;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
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
        return CommandFailures.install(new CommandLine(new CanvasflowCli()))
                .setParameterExceptionHandler(
                        (e, args) -> {
                            CommandLine failed = e.getCommandLine();
                            failed.getErr().println(sentence(e));
                            failed.getErr().flush();
                            return 2;
                        });
    }

    /**
     * A bad command line in one sentence: picocli's words, and where a command or option was not
     * understood, picocli's guesses at what was meant and where the right ones are listed.
     */
    static String sentence(ParameterException e) {
        String name = e.getCommandLine().getCommandSpec().qualifiedName();
        String text = name + ": " + withoutValue(e).orElse(e.getMessage());
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
     * A KEY=VALUE option given a key alone ({@code -D canvas.max.gap.ms}), in one sentence of what
     * to give: picocli's own words name the option twice ("option option '-D' (KEY=VALUE)").
     */
    private static Optional<String> withoutValue(ParameterException e) {
        String message = String.valueOf(e.getMessage());
        if (!(e.getArgSpec() instanceof OptionSpec option)
                || e.getValue() == null
                || !message.startsWith("Value for option ")
                || !message.contains(" should be in KEY=VALUE format but was ")) {
            return Optional.empty();
        }
        String flag = option.longestName();
        return Optional.of(
                flag
                        + " "
                        + e.getValue()
                        + " has no value; give "
                        + flag
                        + " "
                        + option.paramLabel());
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
