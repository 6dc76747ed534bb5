package io.canvasflow.trainer;

import io.canvasflow.cli.options.CommandConfigOptions;
import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.clients.CliValues;
import io.canvasflow.clients.GracefulStop;
import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.RecurrentSegmentationNet;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.trainer.data.ClassMapping;
import io.canvasflow.trainer.data.DatasetException;
import io.canvasflow.trainer.data.LabelledData;
import io.canvasflow.trainer.data.LabelledSources;
import io.canvasflow.trainer.data.SequenceRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canvasflow train}: trains a model on the synthetic video data or on labelled frames (a
 * dataset folder, a labelled-frames topic), from scratch or fine-tuned from a model, and writes its
 * artifact.
 */
@Command(
        name = "train",
        description =
                "Train a recurrent (rnn) or feed-forward (ff) segmentation model, or specialise one"
                        + " to a camera's labelled frames (--init MODEL --data topic:NAME).")
public final class TrainCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            defaultValue = "synthetic",
            description =
                    "Training data: synthetic, voc:DIR[:SPLIT], cityscapes:DIR[:SPLIT], labelme:DIR or"
                            + " topic:NAME"
                            + " (default ${DEFAULT-VALUE}).")
    String data;

    @Mixin ClassMapOptions classMap;

    @Option(
            names = "--camera",
            description = "Topic data only: only this camera's frames (refused with other data).")
    String camera;

    @Option(
            names = "--frames",
            description =
                    "Topic data only: only these frame numbers, FROM-TO (default: all; refused with"
                            + " other data).")
    String frames;

    @Option(
            names = "--holdout",
            description =
                    "Topic data only: frame numbers FROM-TO kept out of training and recorded in"
                            + " model.json, where evaluate finds them (refused with other data,"
                            + " over all of --frames, or holding no labelled frame).")
    String holdout;

    @Mixin KafkaOptions kafka;

    @Mixin CommandConfigOptions commandConfig;

    @Option(
            names = "--freeze-backbone-steps",
            defaultValue = "0",
            description =
                    "Fine-tuning (--init, labelled --data): leave the feature extractor alone for this many steps first, its"
                            + " weights and its batch-norm statistics: it runs as serve runs it"
                            + " (default ${DEFAULT-VALUE}).")
    int freezeBackboneSteps;

    @Option(
            names = "--seed-clamp",
            defaultValue = "0",
            description =
                    "Fine-tuning, rnn only: the largest logit a seed canvas keeps (default: the"
                            + " initial model's). Lower it for fast motion: two iterations add at"
                            + " most about 2 between two classes.")
    float seedClamp;

    @Option(
            names = "--class-weights",
            defaultValue = "balanced",
            description =
                    "With labelled data: balanced (1/sqrt of each class's share of pixels, so a rare"
                            + " class counts) or none (default ${DEFAULT-VALUE}).")
    String classWeights;

    @Option(
            names = "--model-id",
            description =
                    "Id of the new model: letters, digits, '.', '_' and '-' (default:"
                            + " canvasflow-TYPE-synthetic, or canvasflow-TYPE-CAMERA for a camera's"
                            + " data, other characters of the camera id made '-' and a digest of"
                            + " it added).")
    String modelId;

    @Option(
            names = "--type",
            defaultValue = "rnn",
            description = "rnn or ff (default ${DEFAULT-VALUE})")
    String type;

    @Option(
            names = {"-o", "--output"},
            required = true,
            converter = FileConverters.OutputFolder.class,
            description =
                    "Model directory to write: a new one, or with --resume the one whose checkpoint"
                            + " goes on, or with --overwrite one whose model is replaced.")
    Path output;

    @Option(
            names = "--overwrite",
            description =
                    "Replace the model and the checkpoint that --output already holds (default:"
                            + " refused).")
    boolean overwrite;

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
            paramLabel = "WxH",
            description =
                    "Synthetic frame size, also the model input size (default 256x192; with"
                            + " --init, the initial model's, and no other).")
    String frame;

    @Option(
            names = "--iterations",
            defaultValue = "" + RecurrentSegmentationNet.DEFAULT_ITERATIONS,
            description =
                    "Iterations unrolled from zero, recorded in model.json as iterationsTrained (rnn"
                            + " only; default ${DEFAULT-VALUE}, with --init the initial model's).")
    int iterations;

    @Option(
            names = "--seeded-iterations",
            defaultValue = "" + RecurrentSegmentationNet.DEFAULT_SEEDED_ITERATIONS,
            description =
                    "Iterations on the seeded frame of a video pair (rnn only; default"
                            + " ${DEFAULT-VALUE}, with --init the seededIterations its model.json"
                            + " records, if any).")
    int seededIterations;

    @Option(
            names = "--clip-frames",
            defaultValue = "2",
            description =
                    "Consecutive frames per video-phase sample: the first from zero, each later one"
                            + " seeded with its predecessor's canvas (rnn only; default"
                            + " ${DEFAULT-VALUE}).")
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
                    "Share of video-phase seeds replaced by a wrong-class canvas (rnn only; default"
                            + " ${DEFAULT-VALUE}).")
    double wrongSeedFraction;

    @Option(
            names = "--attached-seed",
            description =
                    "Back-propagate through the seed canvas into frame t (rnn only; default:"
                            + " detached).")
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

    @Option(
            names = "--resume",
            description =
                    "Continue from OUTPUT/checkpoint if there is one, else start from step 0"
                            + " (refused where that would replace a finished model, unless"
                            + " --steps is more than it trained: see --overwrite).")
    boolean resume;

    @Option(
            names = "--arch",
            defaultValue = "default",
            description = "default or tiny (default ${DEFAULT-VALUE}; refused with --init).")
    String arch;

    @Spec CommandSpec spec;

    private final AtomicBoolean stopRequested = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        CanvasTrainer.Result result;
        // Ctrl-C or SIGTERM: stop after the current step with a checkpoint, not in the middle of
        // PyTorch's backward pass (a JVM that exits there can crash in libtorch)
        // (the catches are inside the hook's block: its close lets the JVM go, after the message)
        try (GracefulStop stop =
                new GracefulStop("train-shutdown", () -> stopRequested.set(true))) {
            try {
                validate();
                result =
                        LabelledSources.SYNTHETIC.equals(data)
                                ? synthetic(System.out)
                                : specialise(System.out);
            } catch (DatasetException | ModelLoadException | IllegalArgumentException e) {
                System.err.println("canvasflow train: " + e.getMessage());
                return 2;
            } catch (CanvasTrainer.Stopped e) {
                System.err.println("canvasflow train: " + e.getMessage());
                return 130;
            }
        }
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
        int[] cropSize = CliValues.size(crop, "--crop");
        InitModel initial = init == null ? null : InitModel.read(init);
        int[] frameSize =
                initial != null
                        ? initial.frameSize(frame, crop)
                        : frame == null ? new int[] {256, 192} : CliValues.size(frame, "--frame");
        Architecture architecture =
                switch (arch) {
                    case "default" -> Architecture.defaults();
                    case "tiny" -> Architecture.tiny();
                    default ->
                            throw new IllegalArgumentException(
                                    "--arch must be default or tiny, got " + arch);
                };
        if (seedClamp > 0) { // 0: the default, the initial model's (validate refused < 0)
            architecture = architecture.withSeedClamp(seedClamp);
        }
        return TrainingOptions.builder()
                .setOutput(output)
                .optModelId(modelId)
                .optType(modelType)
                .optArchitecture(architecture)
                .optIterations(
                        given("--iterations") || initial == null
                                ? iterations
                                : initial.fullIterations(),
                        given("--seeded-iterations") || initial == null
                                ? seededIterations
                                : initial.seededIterations())
                .optVideo(videoFraction, clipFrames, wrongSeedFraction)
                .optAttachedSeed(attachedSeed)
                .optBatchSize(batch)
                .optCrop(cropSize[0], cropSize[1])
                .optFrame(frameSize[0], frameSize[1])
                .optSchedule(steps, lr, momentum, weightDecay)
                .optSeed(seed)
                .optCheckpoints(checkpointEvery, resume)
                .optStopRequested(stopRequested::get)
                .optInit(init)
                .build();
    }

    /** Checks what can be checked before any data is read or any step is trained. */
    private void validate() {
        // written so that NaN fails too; an infinite clamp clamps nothing, and model.json (JSON)
        // cannot hold it: found out only when the trained model was written
        if (checkpointEvery < 0
                || freezeBackboneSteps < 0
                || !(seedClamp >= 0 && Float.isFinite(seedClamp))) {
            throw new IllegalArgumentException(
                    "expected --checkpoint-every, --freeze-backbone-steps and --seed-clamp >= 0"
                            + " (--seed-clamp a finite number) but found "
                            + checkpointEvery
                            + ", "
                            + freezeBackboneSteps
                            + " and "
                            + seedClamp);
        }
        if (!List.of("balanced", "none").contains(classWeights)) {
            throw new IllegalArgumentException(
                    "--class-weights must be balanced or none, got " + classWeights);
        }
        SequenceRange held = holdout == null ? null : SequenceRange.parse(holdout, "--holdout");
        SequenceRange read = frames == null ? null : SequenceRange.parse(frames, "--frames");
        if (held != null && read != null && held.from() <= read.from() && read.to() <= held.to()) {
            // known from the two ranges: said before a topic read that can take minutes
            throw new IllegalArgumentException(
                    "--holdout "
                            + held
                            + " holds out every frame of --frames "
                            + read
                            + ", which leaves none to train on; give a --holdout outside --frames,"
                            + " or one that covers only part of it");
        }
        classMap.check();
        if (init != null && given("--arch")) {
            throw new IllegalArgumentException(
                    "--arch is not for fine-tuning: the network is the --init model's ("
                            + init
                            + "); leave --arch out");
        }
        // options the data would leave unused are refused; evaluate does the same
        new UnusedOptions()
                .add(camera != null, "--camera")
                .add(frames != null, "--frames")
                .add(holdout != null, "--holdout")
                .refuseUnlessTopic(data);
        new UnusedOptions()
                .add(classMap.file() != null, "--class-map")
                .add(freezeBackboneSteps > 0, "--freeze-backbone-steps")
                .refuseUnlessLabelled(data);
        if (init == null) {
            // it keeps the --init model's backbone while a new head settles: without one it would
            // freeze random weights, and their initial batch-norm statistics
            new UnusedOptions()
                    .add(freezeBackboneSteps > 0, "--freeze-backbone-steps")
                    .refuseWith(
                            "fine-tuning a model given with --init DIR",
                            "a model trained from scratch (no --init)");
        }
        if (parseType(type) == ModelType.FEED_FORWARD) {
            // a feed-forward model has no canvas to iterate or seed, and trains on no clip
            UnusedOptions rnnOnly = new UnusedOptions();
            for (String name : RNN_ONLY) {
                rnnOnly.add(given(name), name);
            }
            rnnOnly.refuseWith("a recurrent model (--type rnn)", "--type " + type);
        }
        if (init != null) {
            // the sentence that says what to do, on synthetic data as on labelled, before the
            // output folder is judged; its parameter file too, before the data is read
            InitModel.checked(init).ofType(parseType(type), type);
        }
        // last: what the output folder holds, once the options are known to be right
        TrainOutput.check(output, init, resume, overwrite, steps);
    }

    /** The options a feed-forward model leaves unused. */
    private static final List<String> RNN_ONLY =
            List.of(
                    "--iterations",
                    "--seeded-iterations",
                    "--clip-frames",
                    "--video-fraction",
                    "--wrong-seed-fraction",
                    "--attached-seed",
                    "--seed-clamp");

    /** Whether {@code option} was on the command line (its default, when not, is no choice). */
    private boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Trains on labelled frames from {@code --data}: read (at the model's input size), mapped to
     * the model's classes, then trained or fine-tuned with the lineage recorded.
     */
    CanvasTrainer.Result specialise(java.io.PrintStream progress) throws java.io.IOException {
        TrainingOptions base = options();
        ModelSpec initial = init == null ? null : InitModel.read(init).ofType(base.type(), type);
        int width = initial != null ? initial.input().width() : base.frameWidth();
        int height = initial != null ? initial.input().height() : base.frameHeight();
        String type = base.type() == ModelType.RECURRENT ? "rnn" : "ff";
        String id =
                modelId != null
                        ? modelId
                        : DefaultModelId.of(type, camera != null ? camera : kindOf(data));
        // built (and so checked) before the data is read, which can take minutes
        TrainingOptions sized = base.toBuilder().optFrame(width, height).optModelId(id).build();
        SequenceRange exclude = holdout == null ? null : SequenceRange.parse(holdout, "--holdout");
        SequenceRange range =
                frames == null ? SequenceRange.ALL : SequenceRange.parse(frames, "--frames");
        SequenceRange both = frames == null || exclude == null ? null : range.overlap(exclude);
        if (both != null) {
            progress.printf(
                    "--holdout %s overlaps --frames %s: frames %s are held out, not trained on%n",
                    exclude, range, both);
        }
        if (LabelledSources.TOPIC.equals(LabelledSources.kind(data))) {
            String unreachable = commandConfig.unreachable(servers());
            if (unreachable != null) {
                throw new IllegalArgumentException(unreachable);
            }
        }
        progress.printf("Reading %s ...%n", data);
        LabelledData labelled =
                LabelledSources.open(
                        data,
                        new LabelledSources.Selection(
                                commandConfig.client(servers()),
                                camera,
                                range,
                                exclude,
                                width,
                                height));
        ClassMapping mapping =
                classMap.file() == null
                        ? ClassMapping.identity(labelled.classes())
                        : ClassMapping.read(classMap.file(), labelled.classes());
        if (initial != null) {
            ClassTable initialClasses = new ClassTable(initial.classNames(), initial.classColors());
            ClassMapping kept = mapping.into(initialClasses);
            if (kept != null) {
                mapping = kept;
            }
        }
        LabelledData mapped = labelled.mapped(mapping);
        if (mapped.classes().size() > SegmentationModel.MAX_CLASSES) {
            // what it would train, serve would not load
            throw new IllegalArgumentException(
                    "--data "
                            + data
                            + " has "
                            + mapped.classes().size()
                            + " classes, and a model holds at most "
                            + SegmentationModel.MAX_CLASSES
                            + "; merge some with --class-map");
        }
        progress.printf(
                "%d labelled frames in %d sequences, classes %s%n",
                mapped.frameCount(), mapped.sequences().size(), mapped.classes().names());
        Map<String, Object> lineage = new LinkedHashMap<>(labelled.lineage());
        lineage.put("classes", mapped.classes().names());
        if (classMap.file() != null) {
            // what evaluate maps the same data's classes with
            lineage.put(ModelClassMapping.LINEAGE_KEY, mapping.names());
        }
        if (exclude != null) {
            lineage.put("heldOut", exclude.toString());
        }
        return CanvasTrainer.train(
                sized,
                new LabelledTrainingData(mapped, base.seed()),
                classInfos(mapped.classes()),
                new CanvasTrainer.FineTuning(
                        id, freezeBackboneSteps, lineage, seedClamp, weights(mapped)),
                progress);
    }

    private float[] weights(LabelledData mapped) {
        // balanced or none: validate refused anything else
        return "balanced".equals(classWeights) ? mapped.balancedClassWeights() : null;
    }

    private static String kindOf(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon);
    }

    /**
     * Trains on the synthetic generator's training split; fine-tuned, the new model takes this
     * run's --model-id and --seed-clamp as it does with labelled data.
     */
    private CanvasTrainer.Result synthetic(java.io.PrintStream progress)
            throws java.io.IOException {
        TrainingOptions options = options();
        return run(
                options,
                new CanvasTrainer.FineTuning(options.modelId(), 0, Map.of(), seedClamp, null),
                progress);
    }

    /** Trains on the synthetic generator's training split. */
    public static CanvasTrainer.Result run(
            TrainingOptions options,
            CanvasTrainer.FineTuning fineTuning,
            java.io.PrintStream progress)
            throws java.io.IOException {
        SyntheticTrainingData data =
                new SyntheticTrainingData(
                        options.frameWidth(), options.frameHeight(), options.seed());
        return CanvasTrainer.train(
                options, data, classInfos(ClassTable.SYNTHETIC), fineTuning, progress);
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

    /** The cluster: {@code --bootstrap-servers}, else {@value KafkaOptions#BOOTSTRAP_ENV}. */
    private String servers() {
        return kafka.bootstrapServersOr(System.getenv());
    }
}
