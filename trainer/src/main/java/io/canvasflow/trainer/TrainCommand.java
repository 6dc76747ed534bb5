package io.canvasflow.trainer;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.synthetic.ClassTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code canvasflow train}: trains a model on the synthetic video data and writes its artifact. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a recurrent (rnn) or feed-forward (ff) segmentation model.")
public final class TrainCommand implements Callable<Integer> {

    @Option(
            names = "--type",
            defaultValue = "rnn",
            description = "rnn or ff (default ${DEFAULT-VALUE})")
    String type;

    @Option(
            names = {"-o", "--output"},
            required = true,
            description = "Model directory to write.")
    Path output;

    @Option(
            names = "--steps",
            defaultValue = "4000",
            description = "Optimiser steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--batch",
            defaultValue = "8",
            description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--crop",
            defaultValue = "128x96",
            description = "Training crop WxH (default ${DEFAULT-VALUE}).")
    String crop;

    @Option(
            names = "--frame",
            defaultValue = "256x192",
            description =
                    "Synthetic frame size WxH, also the model input size (default ${DEFAULT-VALUE}).")
    String frame;

    @Option(
            names = "--iterations",
            defaultValue = "6",
            description = "Iterations unrolled from zero (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(
            names = "--seeded-iterations",
            defaultValue = "2",
            description =
                    "Iterations on the seeded frame of a video pair (default ${DEFAULT-VALUE}).")
    int seededIterations;

    @Option(
            names = "--clip-frames",
            defaultValue = "2",
            description =
                    "Consecutive frames per video-phase sample: the first from zero, each later one"
                            + " seeded with its predecessor's canvas (default ${DEFAULT-VALUE}).")
    int clipFrames;

    @Option(
            names = "--init",
            description =
                    "Start from this model's weights (fine-tuning) under a fresh schedule of"
                            + " --steps, instead of a Glorot initialisation.")
    Path init;

    @Option(
            names = "--lr",
            defaultValue = "0.02",
            description = "Initial learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(
            names = "--momentum",
            defaultValue = "0.95",
            description = "SGD momentum (default ${DEFAULT-VALUE}).")
    float momentum;

    @Option(
            names = "--weight-decay",
            defaultValue = "0.0001",
            description = "Weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(
            names = "--video-fraction",
            defaultValue = "0.3",
            description =
                    "Share of steps, at the end, on consecutive-frame pairs (rnn only; default ${DEFAULT-VALUE}).")
    double videoFraction;

    @Option(
            names = "--wrong-seed-fraction",
            defaultValue = "0.2",
            description =
                    "Share of video-phase seeds replaced by a wrong-class canvas (default ${DEFAULT-VALUE}).")
    double wrongSeedFraction;

    @Option(
            names = "--attached-seed",
            description =
                    "Back-propagate through the seed canvas into frame t (default: detached).")
    boolean attachedSeed;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "500",
            description = "Steps between checkpoints, 0 for none (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from OUTPUT/checkpoint if there is one.")
    boolean resume;

    @Option(
            names = "--arch",
            defaultValue = "default",
            description = "default or tiny (default ${DEFAULT-VALUE}).")
    String arch;

    @Override
    public Integer call() throws Exception {
        CanvasTrainer.Result result = run(options(), System.out);
        System.out.printf(
                Locale.ROOT,
                "Wrote %s (version %s) after %d steps in %s%n",
                output,
                result.spec().version(),
                result.steps(),
                CanvasTrainer.formatDuration(result.seconds()));
        return 0;
    }

    /** Builds the options from the flags. */
    TrainingOptions options() {
        ModelType modelType = parseType(type);
        int[] cropSize = parseSize(crop, "--crop");
        int[] frameSize = parseSize(frame, "--frame");
        Architecture architecture =
                switch (arch) {
                    case "default" -> Architecture.defaults();
                    case "tiny" -> Architecture.tiny();
                    default ->
                            throw new IllegalArgumentException(
                                    "--arch must be default or tiny, got " + arch);
                };
        return new TrainingOptions(
                modelType,
                architecture,
                modelType == ModelType.RECURRENT
                        ? "canvasflow-rnn-synthetic"
                        : "canvasflow-ff-synthetic",
                iterations,
                seededIterations,
                clipFrames,
                batch,
                cropSize[0],
                cropSize[1],
                frameSize[0],
                frameSize[1],
                steps,
                lr,
                momentum,
                weightDecay,
                videoFraction,
                wrongSeedFraction,
                !attachedSeed,
                seed,
                checkpointEvery,
                output,
                resume,
                init);
    }

    /** Trains on the synthetic generator's training split. */
    public static CanvasTrainer.Result run(TrainingOptions options, java.io.PrintStream progress)
            throws java.io.IOException {
        SyntheticTrainingData data =
                new SyntheticTrainingData(
                        options.frameWidth(), options.frameHeight(), options.seed());
        return CanvasTrainer.train(options, data, classInfos(ClassTable.SYNTHETIC), progress);
    }

    static List<ModelSpec.ClassInfo> classInfos(ClassTable table) {
        List<ModelSpec.ClassInfo> out = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            out.add(
                    new ModelSpec.ClassInfo(
                            table.name(i), String.format("#%06x", table.color(i) & 0xffffff)));
        }
        return out;
    }

    static ModelType parseType(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "rnn", "recurrent" -> ModelType.RECURRENT;
            case "ff", "feed-forward", "feedforward" -> ModelType.FEED_FORWARD;
            default -> throw new IllegalArgumentException("--type must be rnn or ff, got " + value);
        };
    }

    /** Parses {@code WxH}. */
    public static int[] parseSize(String value, String flag) {
        String[] parts = value.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int w = Integer.parseInt(parts[0].trim());
                int h = Integer.parseInt(parts[1].trim());
                if (w > 0 && h > 0) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(
                flag + " must be WIDTHxHEIGHT, e.g. 256x192; got " + value);
    }
}
