package io.canvasflow.tools;

import io.canvasflow.testsupport.CommandRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code --model} given with a {@code -D model.dir}, for a command that takes both, as serve takes
 * them: two models are refused naming both, one model passes. Every command line names a cluster
 * where nothing listens, so that a command that got past its checks stops at the broker's and
 * nothing starts, with the fix or without it.
 */
public final class ModelFlagPairs {

    private static final List<String> NO_BROKER = List.of("--bootstrap-servers", "127.0.0.1:1");

    private final Supplier<Object> command;
    private final String model = ShippedModels.rnn().toString();
    private final String other = ShippedModels.feedForward().toString();

    /**
     * @param command makes a fresh command for each run
     */
    public ModelFlagPairs(Supplier<Object> command) {
        this.command = command;
    }

    /**
     * Each command line with what the command did: its exit status, the first line of its standard
     * error and its standard output.
     *
     * @return each command line with what it gave
     */
    public Map<List<String>, List<Object>> results() {
        Map<List<String>, List<Object>> results = new LinkedHashMap<>();
        for (List<String> args : expected().keySet()) {
            results.put(args, run(args));
        }
        return results;
    }

    /**
     * What each command line must give: the disagreements one sentence naming both, before anything
     * is printed; the agreeing pair the broker check's sentence.
     *
     * @return each command line with its exit status, first line of standard error and standard
     *     output
     */
    public Map<List<String>, List<Object>> expected() {
        Map<List<String>, List<Object>> expected = new LinkedHashMap<>();
        expected.put(
                args("--model", model, "-D", "model.dir=" + other),
                List.of(
                        2,
                        "--model " + model + " and -D model.dir=" + other + " disagree; give one",
                        ""));
        // kafka. is a prefix the configuration strips: the same setting
        expected.put(
                args("--model", model, "-D", "kafka.model.dir=" + other),
                List.of(
                        2,
                        "--model "
                                + model
                                + " and -D kafka.model.dir="
                                + other
                                + " disagree; give one",
                        ""));
        // one folder, written two ways: past the check, to the broker's
        expected.put(
                args("--model", model, "-D", "model.dir=" + model + "/"),
                List.of(
                        2,
                        "no Kafka broker at 127.0.0.1:1: nothing accepts connections there"
                                + " (start one with `canvasflow broker`, or pass the address of"
                                + " your cluster with --bootstrap-servers)",
                        ""));
        return expected;
    }

    private static List<String> args(String... args) {
        List<String> all = new ArrayList<>(NO_BROKER);
        all.addAll(List.of(args));
        return all;
    }

    /** Only picocli's own writers: a log line printed on the way stays out. */
    private List<Object> run(List<String> args) {
        CommandRun run = CommandRun.ofWriters(command.get(), args);
        return List.of(run.exit(), run.err().lines().findFirst().orElse(""), run.out());
    }
}
