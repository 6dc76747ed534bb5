package io.canvasflow.trainer;

import io.canvasflow.cli.options.CommandConfigOptions;
import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.cli.options.JsonOptions;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.model.DefaultModels;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.Split;
import io.canvasflow.synthetic.SyntheticDataset;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.trainer.data.ClassMapping;
import io.canvasflow.trainer.data.DatasetException;
import io.canvasflow.trainer.data.LabelledData;
import io.canvasflow.trainer.data.LabelledSources;
import io.canvasflow.trainer.data.SequenceRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code canvasflow evaluate}: scores a model, afresh, on the synthetic test split (against the
 * feed-forward baseline) or on labelled footage ({@code --data}), and writes JSON, a Markdown table
 * and PNG plots.
 */
@Command(
        name = "evaluate",
        description =
                "Evaluate a model on the synthetic test split (mIoU per iteration, seeded video,"
                        + " wrong-class seed recovery, against the feed-forward baseline) or on"
                        + " labelled footage, --data voc:, cityscapes:, labelme: or topic: (mIoU"
                        + " per iteration and seeded, per class, flicker; a feed-forward"
                        + " model's one pass).")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "Model directory to evaluate (default: the shipped models/rnn): recurrent on"
                            + " the synthetic test split, where a feed-forward model is scored as"
                            + " --baseline; either type on labelled footage, a feed-forward one"
                            + " as its one pass a frame.")
    Path model;

    @Option(
            names = "--baseline",
            paramLabel = "DIR",
            description =
                    "Synthetic data only: the feed-forward model to compare with, or 'none'"
                            + " (default: the shipped models/ff).")
    String baseline;

    @Option(
            names = "--sequences",
            defaultValue = "16",
            description = "Synthetic data only: test sequences (default ${DEFAULT-VALUE}).")
    int sequences;

    @Option(
            names = "--frames",
            defaultValue = "10",
            description =
                    "Synthetic data only: frames per test sequence (default ${DEFAULT-VALUE}).")
    int frames;

    /** The longest zero-canvas run when the model's full count is no longer. */
    static final int DEFAULT_MAX_ITERATIONS = 8;

    @Option(
            names = "--max-iterations",
            paramLabel = "N",
            description =
                    "Longest zero-canvas run (default 8, or the model's full count, what serve"
                            + " runs from zero and every figure is compared with, when larger).")
    Integer maxIterationsGiven;

    @Mixin JsonOptions jsonOptions;

    @Option(
            names = "--report",
            defaultValue = "reports/evaluation",
            converter = FileConverters.DefaultedOutputFolder.class,
            description =
                    "Folder for evaluation.md, evaluation.json and the PNG plots (default ${DEFAULT-VALUE}).")
    Path report;

    @Option(
            names = "--data",
            defaultValue = "synthetic",
            description =
                    "synthetic (the test split), voc:DIR[:SPLIT], cityscapes:DIR[:SPLIT], labelme:DIR or"
                            + " topic:NAME"
                            + " (default ${DEFAULT-VALUE}).")
    String data;

    @Mixin ClassMapOptions classMap;

    @Option(
            names = "--range",
            description =
                    "Topic data only: frame numbers FROM-TO (default: the frames the model held"
                            + " out in training, from its model.json; refused with other data).")
    String range;

    @Option(
            names = "--camera",
            description =
                    "Topic data only: this camera (default: the model's camera, if any; refused"
                            + " with other data).")
    String camera;

    @Option(
            names = "--max-gap-ms",
            paramLabel = "MS",
            description =
                    "Topic data only: a larger capture-time gap between a camera's consecutive"
                            + " frames starts the seeded run again from a zero canvas, as serve's"
                            + " canvas.max.gap.ms does; 0 for no limit (default: 2000, serve's"
                            + " default).")
    Long maxGapMs;

    @Mixin KafkaOptions kafka;

    @Mixin CommandConfigOptions commandConfig;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            // the synthetic split has the shipped models' own classes
            new UnusedOptions()
                    .add(classMap.file() != null, "--class-map")
                    .refuseUnlessLabelled(data);
            if (!LabelledSources.SYNTHETIC.equals(LabelledSources.kind(data))) {
                // a labelled source has no baseline column and is read whole
                new UnusedOptions()
                        .add(given("--baseline"), "--baseline")
                        .add(given("--sequences"), "--sequences")
                        .add(given("--frames"), "--frames")
                        .refuse("the synthetic test split (--data synthetic)", data);
            }
            // The shipped models where the installation keeps them, wherever the command runs from
            if (model == null) {
                model = DefaultModels.dir(DefaultModels.RNN);
            }
            if (baseline == null) {
                baseline = DefaultModels.dir(DefaultModels.FEED_FORWARD).toString();
            }
            if (sequences < 1
                    || frames < 1
                    || (maxIterationsGiven != null && maxIterationsGiven < 1)) {
                throw new IllegalArgumentException(
                        "expected --sequences, --frames and --max-iterations >= 1 but found "
                                + sequences
                                + ", "
                                + frames
                                + " and "
                                + maxIterationsGiven);
            }
            if (maxGapMs != null && maxGapMs < 0) {
                throw new IllegalArgumentException(
                        "expected --max-gap-ms >= 0 (0 for no limit) but found " + maxGapMs);
            }
            // what train refuses too: only a topic's frames have cameras, numbers and capture times
            new UnusedOptions()
                    .add(range != null, "--range")
                    .add(camera != null, "--camera")
                    .add(maxGapMs != null, "--max-gap-ms")
                    .refuseUnlessTopic(data);
            if (range != null) {
                SequenceRange.parse(range, "--range");
            }
            classMap.check();
            String unwritable = FileConverters.folderProblem(report, "--report");
            if (unwritable != null) {
                throw new IllegalArgumentException(unwritable);
            }
            boolean synthetic = LabelledSources.SYNTHETIC.equals(data);
            refuseWhatCannotBeScored(synthetic);
            return synthetic ? synthetic() : footage();
        } catch (DatasetException | ModelLoadException | IllegalArgumentException e) {
            System.err.println("canvasflow evaluate: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Refuses, before any data is read or anything written, a model the data cannot score: on the
     * synthetic test split each place takes one type of model ({@link EvaluatedTypes}) and the
     * split's classes ({@link SyntheticClasses}); on labelled footage a feed-forward model is
     * scored as its one pass, so the options of iterations and seeded runs are left unused by it.
     */
    private void refuseWhatCannotBeScored(boolean synthetic) {
        ModelSpec scored = SegmentationModel.readSpec(model);
        if (!synthetic) {
            if (!scored.network().type().readsCanvas()) {
                new UnusedOptions()
                        .add(maxIterationsGiven != null, "--max-iterations")
                        .add(maxGapMs != null, "--max-gap-ms")
                        .refuseWith(
                                "a recurrent --model (its iterations and seeded runs)",
                                "--model " + model + ", a feed-forward model (one pass a frame)");
            }
            return;
        }
        // the types first: a model of the wrong type is said as that, whatever its classes
        String named = "--model " + model;
        EvaluatedTypes.refuse(
                EvaluatedTypes.modelProblem(scored, named, EvaluatedTypes.SYNTHETIC_MODEL_INSTEAD));
        ModelSpec baselineSpec =
                "none".equals(baseline) ? null : SegmentationModel.readSpec(Path.of(baseline));
        splitIntoModel(scored, named, baselineSpec, "--baseline " + baseline, true);
        refuseTooManyFrames(scored, sequences, "--sequences", frames, "--frames");
    }

    /**
     * Refuses a test split larger than the heap holds ({@link HeapRoom}): every sequence is made
     * before the first is scored, each frame at the model's input size, 6 bytes a pixel (an int of
     * image, a label byte, and its label byte in the model's classes).
     */
    private static void refuseTooManyFrames(
            ModelSpec scored, int sequences, String sequencesName, int frames, String framesName) {
        int w = scored.input().width();
        int h = scored.input().height();
        long count = (long) sequences * frames;
        String problem =
                HeapRoom.problem(
                        String.format(
                                Locale.ROOT,
                                "%s %d and %s %d would hold %d synthetic %dx%d frames",
                                sequencesName,
                                sequences,
                                framesName,
                                frames,
                                count,
                                w,
                                h),
                        count,
                        6L * w * h,
                        most ->
                                "give "
                                        + sequencesName
                                        + " and "
                                        + framesName
                                        + " whose product is at most "
                                        + most);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Refuses a baseline of the other type or of other classes than the model's, and a model
     * without every class of the synthetic split, in the words of the command or of {@link #run}.
     *
     * @return the split's labels into the model's classes, by name
     */
    private static ClassMapping splitIntoModel(
            ModelSpec scored,
            String named,
            ModelSpec baselineSpec,
            String baselineNamed,
            boolean command) {
        if (baselineSpec != null) {
            EvaluatedTypes.refuse(
                    EvaluatedTypes.baselineProblem(
                            baselineSpec,
                            baselineNamed,
                            command
                                    ? EvaluatedTypes.BASELINE_INSTEAD
                                    : EvaluatedTypes.RUN_BASELINE_INSTEAD));
        }
        ClassMapping toModel =
                SyntheticClasses.intoModel(
                        scored,
                        named,
                        command
                                ? SyntheticClasses.MODEL_INSTEAD
                                : SyntheticClasses.RUN_MODEL_INSTEAD);
        if (baselineSpec != null) {
            EvaluatedTypes.refuse(
                    SyntheticClasses.baselineProblem(
                            baselineSpec,
                            scored,
                            baselineNamed,
                            named,
                            command
                                    ? SyntheticClasses.BASELINE_INSTEAD
                                    : SyntheticClasses.RUN_BASELINE_INSTEAD));
        }
        return toModel;
    }

    /**
     * The longest zero-canvas run: {@code --max-iterations}, or 8, or the model's full count when
     * larger (a model trained with more read NaN for its reference and failed every bar).
     */
    private int maxIterations(ModelSpec spec) {
        return maxIterationsGiven != null
                ? maxIterationsGiven
                : Math.max(DEFAULT_MAX_ITERATIONS, spec.defaultFullIterations());
    }

    /** Prints where the run stopped short of the model's full count: its reference is missing. */
    private void sayIfShort(ModelSpec spec) {
        int full = spec.defaultFullIterations();
        if (maxIterations(spec) < full) {
            System.out.println(
                    "--max-iterations "
                            + maxIterations(spec)
                            + " stops below the "
                            + full
                            + " iterations model "
                            + spec.version()
                            + " runs from zero, so the reference (zero-"
                            + full
                            + ") and the bars judged on it are not measured");
        }
    }

    /** Evaluates on the synthetic test split against the baseline. */
    private int synthetic() throws IOException {
        ModelSpec spec = SegmentationModel.readSpec(model);
        Evaluation result =
                run(
                        model,
                        "none".equals(baseline) ? null : Path.of(baseline),
                        sequences,
                        frames,
                        maxIterations(spec));
        String markdown = EvaluationReport.markdown(result);
        writeReport(markdown, EvaluationReport.json(result));
        EvaluationReport.plots(result, report);
        System.out.println(markdown);
        System.out.println("Report written to " + report.toAbsolutePath());
        sayIfShort(spec);
        return 0;
    }

    /** Writes evaluation.md and evaluation.json into the report folder, and the JSON to --json. */
    private void writeReport(String markdown, String jsonText) throws IOException {
        Files.createDirectories(report);
        Files.writeString(report.resolve("evaluation.md"), markdown);
        Files.writeString(report.resolve("evaluation.json"), jsonText);
        Path json = jsonOptions.json();
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            Files.writeString(json, jsonText);
        }
    }

    /** Evaluates on labelled footage, on the held-out frames unless told otherwise. */
    private int footage() throws IOException {
        boolean topic = LabelledSources.TOPIC.equals(LabelledSources.kind(data));
        if (topic) {
            String unreachable = commandConfig.unreachable(servers());
            if (unreachable != null) {
                throw new IllegalArgumentException(unreachable);
            }
        }
        try (SegmentationModel scored = SegmentationModel.load(model)) {
            Map<?, ?> trained =
                    scored.spec().metrics().get("lineage") instanceof Map<?, ?> m ? m : Map.of();
            // the held-out frames and the camera a model records are frames of its topic
            Map<?, ?> recorded = topic ? trained : Map.of();
            String frames = range != null ? range : (String) recorded.get("heldOut");
            String cam = camera != null ? camera : (String) recorded.get("camera");
            LabelledData opened =
                    LabelledSources.open(
                            data,
                            new LabelledSources.Selection(
                                    commandConfig.client(servers()),
                                    cam,
                                    frames == null
                                            ? SequenceRange.ALL
                                            : SequenceRange.parse(frames, "--range"),
                                    null,
                                    scored.spec().input().width(),
                                    scored.spec().input().height()));
            String note = TrainedFrames.note(trained, opened);
            ModelClassMapping.Chosen mapping =
                    ModelClassMapping.choose(scored.spec(), opened.classes(), classMap.file());
            LabelledData labelled = recorded(opened, note, mapping);
            FootageEvaluation result =
                    FootageEvaluation.run(
                            scored,
                            labelled,
                            mapping.mapping(),
                            maxIterations(scored.spec()),
                            maxGapMs != null ? maxGapMs : FrameOrder.DEFAULT_MAX_GAP_MS);
            String markdown = result.markdown();
            writeReport(markdown, result.json());
            Plots.writePng(
                    EvaluationReport.sampleGrid(result.samples()),
                    report.resolve(EvaluationReport.SAMPLES_PLOT));
            System.out.println(markdown);
            System.out.println("Report written to " + report.toAbsolutePath());
            sayIfShort(scored.spec());
            return 0;
        }
    }

    /**
     * The data with the report's lineage: the class map it is scored through and where that came
     * from (a score depends on it), and, also said on stderr, that the model was trained on the
     * frames it is scored on, or on some of them ({@code scoredOn}, from {@link TrainedFrames}).
     *
     * @param note what {@link TrainedFrames} says, or null
     */
    private static LabelledData recorded(
            LabelledData data, String note, ModelClassMapping.Chosen mapping) {
        Map<String, Object> lineage = new LinkedHashMap<>(data.lineage());
        lineage.put(ModelClassMapping.LINEAGE_KEY, mapping.mapping().names());
        lineage.put(ModelClassMapping.FROM_KEY, mapping.from());
        if (note != null) {
            System.err.println("canvasflow evaluate: " + note);
            lineage.put("scoredOn", note);
        }
        return new LabelledData(
                data.classes(),
                data.sequences(),
                data.description(),
                lineage,
                data.captureMs(),
                data.footage());
    }

    /**
     * The evaluation and what it was run on.
     *
     * @param modelVersion the recurrent model's version
     * @param baselineVersion the baseline's version, or null
     * @param classNames class names
     * @param sequences test sequences
     * @param framesPerSequence frames per sequence
     * @param report the figures
     * @param samples a few frames with ground truth and masks per iteration, for the grid plot
     */
    public record Evaluation(
            String modelVersion,
            String baselineVersion,
            List<String> classNames,
            int sequences,
            int framesPerSequence,
            Evaluator.Report report,
            Samples samples) {}

    /**
     * Runs the evaluation on the synthetic test split.
     *
     * @throws IllegalArgumentException in one sentence, where {@code modelDir} is a feed-forward
     *     model or {@code baselineDir} a recurrent one ({@link EvaluatedTypes}), or where {@code
     *     modelDir} lacks a class of the split or {@code baselineDir} has other classes than it
     *     ({@link SyntheticClasses}), or where the split's frames would not fit half the heap
     *     ({@link HeapRoom})
     */
    public static Evaluation run(
            Path modelDir,
            Path baselineDir,
            int sequenceCount,
            int framesPerSequence,
            int maxIterations) {
        ModelSpec scored = SegmentationModel.readSpec(modelDir);
        String named = "modelDir " + modelDir;
        EvaluatedTypes.refuse(
                EvaluatedTypes.modelProblem(scored, named, EvaluatedTypes.RUN_MODEL_INSTEAD));
        ModelSpec baselineSpec =
                baselineDir == null ? null : SegmentationModel.readSpec(baselineDir);
        ClassMapping toModel =
                splitIntoModel(scored, named, baselineSpec, "baselineDir " + baselineDir, false);
        refuseTooManyFrames(
                scored, sequenceCount, "sequenceCount", framesPerSequence, "framesPerSequence");
        try (SegmentationModel rnn = SegmentationModel.load(modelDir);
                SegmentationModel ff =
                        baselineDir == null ? null : SegmentationModel.load(baselineDir)) {
            int w = rnn.spec().input().width();
            int h = rnn.spec().input().height();
            SyntheticDataset dataset = new SyntheticDataset();
            List<VideoSequence> generated = new ArrayList<>();
            for (int i = 0; i < sequenceCount; i++) {
                generated.add(dataset.sequence(Split.TEST, i, framesPerSequence, w, h));
            }
            // the labels in the model's classes, by name, as labelled footage's are
            List<VideoSequence> test =
                    new LabelledData(ClassTable.SYNTHETIC, generated, "synthetic", Map.of())
                            .mapped(toModel)
                            .sequences();
            int full = rnn.spec().defaultFullIterations();
            Evaluator.Report report =
                    Evaluator.evaluate(
                            rnn,
                            ff,
                            test,
                            maxIterations,
                            full,
                            FootageEvaluation.SEEDED_ITERATIONS,
                            4,
                            8);
            Samples samples =
                    Samples.of(
                            rnn,
                            test,
                            4,
                            EvaluationReport.firstFrameIterations(maxIterations, full));
            return new Evaluation(
                    rnn.spec().version(),
                    ff == null ? null : ff.spec().version(),
                    rnn.spec().classNames(),
                    sequenceCount,
                    framesPerSequence,
                    report,
                    samples);
        }
    }

    /** Whether the command line gave {@code option} (a default is not given). */
    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The cluster: {@code --bootstrap-servers}, else {@value KafkaOptions#BOOTSTRAP_ENV}. */
    private String servers() {
        return kafka.bootstrapServersOr(System.getenv());
    }
}
