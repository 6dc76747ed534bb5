package io.canvasflow.trainer;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The trainer on its own, without the rest of CanvasFlow: {@code train}, {@code evaluate} and
 * {@code bench-model}. The full {@code canvasflow} command registers the same classes.
 */
@Command(
        name = "canvasflow-trainer",
        mixinStandardHelpOptions = true,
        subcommands = {TrainCommand.class, EvaluateCommand.class, ModelBenchCommand.class})
public final class TrainerMain {

    private TrainerMain() {}

    /** Runs a trainer subcommand. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainerMain()).execute(args));
    }
}
