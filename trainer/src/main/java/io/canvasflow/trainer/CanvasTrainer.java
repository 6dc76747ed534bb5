package io.canvasflow.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.PolynomialDecayTracker;
import ai.djl.util.Pair;
import io.canvasflow.model.Architecture;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelFolderWriter;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.SegmentationNet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a segmentation network as in the paper's Appendix: unroll N iterations from a zero canvas,
 * softmax cross-entropy on the final canvas only, SGD with momentum, polynomial learning rate
 * decay. Then, going beyond the paper, a video-aware phase on consecutive frames: frame t from a
 * zero canvas, frame t+1 seeded with t's canvas for 2 iterations, loss on both.
 */
public final class CanvasTrainer {

    /**
     * RGB mean and std of 0..1 pixels that a new model normalises its inputs with; a fine-tuned
     * model keeps its {@code --init} model's (model.json's {@code input}).
     */
    static final float[] MEAN = {0.45f, 0.45f, 0.45f};

    static final float[] STD = {0.25f, 0.25f, 0.25f};

    private static final String CHECKPOINT = TrainOutput.CHECKPOINT;

    private static final Logger LOG = LoggerFactory.getLogger(CanvasTrainer.class);

    /** Parameter names of the feature extractor start with this after DJL's child-order digits. */
    private static final String BACKBONE_PREFIX = "backbone";

    private CanvasTrainer() {}

    /**
     * The outcome of a run.
     *
     * @param spec the spec written to the output directory
     * @param losses the mean loss per frame of each logged window, in order (a clip step's loss,
     *     the sum over its frames, divided by its frames)
     * @param steps steps run in this call
     * @param seconds wall time of this call
     */
    public record Result(ModelSpec spec, List<Double> losses, int steps, double seconds) {}

    /**
     * What a fine-tuning run adds to the options: a name and lineage for the new model, and steps
     * during which the backbone stays as the initial model had it (so a new class head first learns
     * on features it cannot yet spoil).
     *
     * @param modelId the id of the new model, or null to keep the initial model's
     * @param freezeBackboneSteps steps, from the start, that leave the backbone's weights alone
     * @param lineage where the training labels came from, recorded in model.json
     * @param seedClamp the new model's seed clamp (the largest logit a seed canvas keeps), or 0 to
     *     keep the initial model's: a camera whose objects move fast needs a seed that two
     *     iterations can overturn
     * @param classWeights the loss weight of each class, or null for equal weights
     */
    public record FineTuning(
            String modelId,
            int freezeBackboneSteps,
            Map<String, Object> lineage,
            float seedClamp,
            float[] classWeights) {

        /** Plain training: nothing added. */
        public static FineTuning none() {
            return new FineTuning(null, 0, Map.of(), 0f, null);
        }
    }

    /** Trains, writing the model (and checkpoints) to {@code options.output()}. */
    public static Result train(
            TrainingOptions options,
            TrainingData data,
            List<ModelSpec.ClassInfo> classes,
            PrintStream progress)
            throws IOException {
        return train(options, data, classes, FineTuning.none(), progress);
    }

    /**
     * Trains, writing the model (and checkpoints) to {@code options.output()}. Fine-tuning from a
     * model whose classes differ from {@code classes} gives it a new class head: every parameter
     * whose shape the new classes do not change is copied (the backbone, the middle ConvLSTM), the
     * others start from a Glorot initialisation.
     */
    public static Result train(
            TrainingOptions options,
            TrainingData data,
            List<ModelSpec.ClassInfo> classes,
            FineTuning fineTuning,
            PrintStream progress)
            throws IOException {
        Engine.getInstance().setRandomSeed((int) options.seed());
        Path checkpointDir = options.output().resolve(CHECKPOINT);
        removeUnfinishedSaves(options.output(), checkpointDir);
        int startStep = 0;
        SegmentationModel model;
        boolean checkpoint = Files.exists(checkpointDir.resolve(ModelSpec.FILE_NAME));
        if (options.resume() && !checkpoint) {
            // a retried Job runs the same command, --resume included, from its first attempt on
            progress.printf("No checkpoint in %s: starting from step 0%n", options.output());
        }
        if (options.resume() && checkpoint) {
            model = SegmentationModel.load(checkpointDir);
            startStep = ((Number) model.spec().metrics().get("step")).intValue();
            progress.printf("Resuming from %s at step %d%n", checkpointDir, startStep);
        } else if (options.init() != null) {
            try (SegmentationModel initial = SegmentationModel.load(options.init())) {
                // the sentence train says before it reads anything, for a Java caller too
                new InitModel(options.init(), initial.spec()).ofType(options.type());
                progress.printf(
                        "Fine-tuning %s (%s) for %d steps%n",
                        options.init(), initial.spec().version(), options.steps());
                // always a new spec: this run's id, clamp, classes, data and iterations
                model = derive(initial, options, classes, fineTuning, data, progress);
            }
        } else {
            model =
                    SegmentationModel.initialize(
                            initialSpec(options, data, classes), DeviceChoice.AUTO);
        }
        // The --init model's version, also when resuming: the checkpoint is not where it began.
        String initVersion =
                options.init() != null
                        ? SegmentationModel.readSpec(options.init()).version()
                        : null;
        try (SegmentationModel trained = model) {
            if (startStep == 0) {
                // a fresh run (--overwrite): an earlier run's checkpoint is not this run's to
                // resume; removed only now that the --init model, maybe this folder's, is read
                TrainOutput.dropStaleCheckpoint(options.output());
            }
            return run(options, data, trained, startStep, initVersion, fineTuning, progress);
        }
    }

    /**
     * Deletes what a run killed while saving left in the output and checkpoint folders (a staging
     * folder of a model's size each), before this run's first step rather than at its first save,
     * which may be hours away: {@link ModelFolderWriter#removeLeftovers}, what every save does.
     */
    private static void removeUnfinishedSaves(Path output, Path checkpoint) throws IOException {
        List<Path> removed = new ArrayList<>(ModelFolderWriter.removeLeftovers(output));
        removed.addAll(ModelFolderWriter.removeLeftovers(checkpoint));
        if (!removed.isEmpty()) {
            LOG.info("Removed {}, left by a save that did not finish", removed);
        }
    }

    /**
     * A new model with {@code classes} and {@code initial}'s weights wherever their shapes still
     * fit; its model.json records the iterations this run trains with, not {@code initial}'s.
     */
    private static SegmentationModel derive(
            SegmentationModel initial,
            TrainingOptions options,
            List<ModelSpec.ClassInfo> classes,
            FineTuning fineTuning,
            TrainingData data,
            PrintStream progress) {
        ModelSpec from = initial.spec();
        Architecture architecture =
                fineTuning.seedClamp() <= 0
                        ? from.architecture()
                        : from.architecture().withSeedClamp(fineTuning.seedClamp());
        ModelSpec spec =
                new ModelSpec(
                        ModelSpec.FORMAT_VERSION,
                        fineTuning.modelId() != null ? fineTuning.modelId() : from.modelId(),
                        "untrained",
                        new ModelSpec.Network(from.network().type(), architecture),
                        classes,
                        from.input(),
                        started(iterationsTrained(options), data),
                        null);
        SegmentationModel derived = SegmentationModel.initialize(spec, DeviceChoice.AUTO);
        Map<String, Parameter> old = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : initial.net().getParameters()) {
            old.put(p.getKey(), p.getValue());
        }
        List<String> fresh = new ArrayList<>();
        for (Pair<String, Parameter> p : derived.net().getParameters()) {
            Parameter source = old.get(p.getKey());
            NDArray target = p.getValue().getArray();
            if (source != null && source.getArray().getShape().equals(target.getShape())) {
                source.getArray().copyTo(target);
            } else {
                fresh.add(p.getKey());
            }
        }
        if (!fresh.isEmpty()) {
            progress.printf(
                    "New class head %s: kept every other weight of %s, initialised %s afresh%n",
                    spec.classNames(), from.version(), fresh);
        }
        return derived;
    }

    static ModelSpec initialSpec(
            TrainingOptions o, TrainingData data, List<ModelSpec.ClassInfo> classes) {
        return new ModelSpec(
                ModelSpec.FORMAT_VERSION,
                o.modelId(),
                "untrained",
                new ModelSpec.Network(o.type(), o.architecture()),
                classes,
                new ModelSpec.InputSpec(o.frameWidth(), o.frameHeight(), MEAN, STD),
                started(iterationsTrained(o), data),
                null);
    }

    /** What model.json records as trained: the iterations from zero (0 for feed-forward). */
    private static int iterationsTrained(TrainingOptions o) {
        return o.type() == ModelType.RECURRENT ? o.iterations() : 0;
    }

    /** A training that starts now on {@code data}, with no figures yet. */
    private static ModelSpec.Training started(int iterations, TrainingData data) {
        return new ModelSpec.Training(
                iterations, data.description(), Map.of(), Instant.now().toString());
    }

    private static Result run(
            TrainingOptions o,
            TrainingData data,
            SegmentationModel model,
            int startStep,
            String initVersion,
            FineTuning fineTuning,
            PrintStream progress)
            throws IOException {
        SegmentationNet net = model.net();
        List<Parameter> trainable = new ArrayList<>();
        List<Parameter> backbone = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
                trainable.add(p.getValue());
                if (p.getKey().replaceFirst("^[0-9]+", "").startsWith(BACKBONE_PREFIX)) {
                    backbone.add(p.getValue());
                }
            }
        }
        Optimizer sgd =
                Optimizer.sgd()
                        .setLearningRateTracker(
                                PolynomialDecayTracker.builder()
                                        .setBaseValue(o.learningRate())
                                        .setEndLearningRate(TrainingOptions.LR_EPSILON)
                                        .setDecaySteps(o.steps())
                                        .optPower(TrainingOptions.LR_POWER)
                                        .build())
                        .optMomentum(o.momentum())
                        .optWeightDecays(o.weightDecay())
                        .optClipGrad(5f)
                        .optBeginNumUpdate(startStep)
                        .build();
        Random random = new Random(o.seed() * 31 + startStep);
        float[] weights = fineTuning.classWeights();
        StepLoss stepLoss = new StepLoss(o, data, net, model.spec().input(), random, weights);
        int videoStart =
                o.type() == ModelType.RECURRENT
                        ? (int) Math.round(o.steps() * (1 - o.videoFraction()))
                        : o.steps();
        List<Double> losses = new ArrayList<>();
        double window = 0;
        int windowCount = 0;
        long framesDone = 0;
        long t0 = System.nanoTime();
        int logEvery = Math.max(1, Math.min(50, o.steps() / 20));
        for (int step = startStep; step < o.steps(); step++) {
            if (o.stopRequested().getAsBoolean()) {
                // Between steps, outside PyTorch: a JVM that exits during backward() can crash
                Path checkpoint = o.output().resolve(CHECKPOINT);
                if (step > startStep) {
                    TrainOutput.unmarkFinished(o.output());
                    saveWith(model, checkpoint, Map.of("step", step));
                }
                throw new Stopped(step, step > startStep ? checkpoint : null);
            }
            boolean video = step >= videoStart;
            boolean frozen = step < fineTuning.freezeBackboneSteps();
            double loss;
            try (NDManager sm = model.manager().newSubManager()) {
                ParameterStore ps = new ParameterStore(sm, false);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l =
                            video
                                    ? stepLoss.video(ps, sm, step, frozen)
                                    : stepLoss.still(ps, sm, step, frozen);
                    gc.backward(l);
                    // reported per frame, so that a clip's and a still's figures compare
                    loss = stepLoss.perFrame(l.getFloat(), video);
                }
                for (Parameter p : trainable) {
                    NDArray weight = p.getArray();
                    NDArray grad = weight.getGradient();
                    if (!(frozen && backbone.contains(p))) {
                        sgd.update(p.getId(), weight, grad);
                    }
                    grad.subi(grad); // zero in place for the next step
                    grad.close();
                }
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException(
                        "training diverged at step " + step + ": loss " + loss);
            }
            window += loss;
            windowCount++;
            framesDone += stepLoss.frames(video);
            if ((step + 1) % logEvery == 0 || step + 1 == o.steps()) {
                double mean = window / windowCount;
                losses.add(mean);
                printProgress(progress, o, step + 1, startStep, mean, video, framesDone, t0);
                window = 0;
                windowCount = 0;
            }
            if (o.checkpointEvery() > 0
                    && (step + 1) % o.checkpointEvery() == 0
                    && step + 1 < o.steps()) {
                TrainOutput.unmarkFinished(o.output());
                saveWith(model, o.output().resolve(CHECKPOINT), Map.of("step", step + 1));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("trainingSteps", o.steps());
        metrics.put("trainingSeconds", Math.round(seconds));
        // per frame, as logged: a recurrent and a feed-forward model's figures compare
        metrics.put("finalLoss", losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1));
        if (o.type() == ModelType.RECURRENT && o.videoFraction() > 0) {
            // the clips' shape: their length and the iterations each seeded frame ran
            metrics.put("clipFrames", o.clipFrames());
            metrics.put("seededIterations", o.seededIterations());
        }
        if (initVersion != null) {
            metrics.put("fineTunedFrom", initVersion);
        }
        if (weights != null) {
            List<Double> w = new ArrayList<>();
            for (float x : weights) {
                w.add(Math.round(x * 1000) / 1000.0);
            }
            metrics.put("classWeights", w);
        }
        if (fineTuning.freezeBackboneSteps() > 0) {
            // the steps it was frozen for: fewer than asked when the run was shorter
            metrics.put(
                    "frozenBackboneSteps", Math.min(fineTuning.freezeBackboneSteps(), o.steps()));
        }
        if (!fineTuning.lineage().isEmpty()) {
            metrics.put("lineage", fineTuning.lineage());
        }
        ModelSpec written = saveWith(model, o.output(), metrics);
        // the checkpoint this run kept is now a finished run's: --resume must not train its last
        // steps again over the model (nor with --overwrite), only go on under more --steps
        TrainOutput.markFinished(o.output(), o.steps());
        return new Result(written, losses, o.steps() - startStep, seconds);
    }

    private static ModelSpec saveWith(
            SegmentationModel model, Path dir, Map<String, Object> metrics) throws IOException {
        return model.save(dir, metrics);
    }

    /**
     * Replaces the seed of a random share of the samples by a confidently wrong canvas: one class
     * at +1 and the others at -1 everywhere, what one iteration can add at most. Training on it
     * teaches the recurrence to correct a bad seed (the paper's Figure 6 experiment).
     */
    static NDArray mixWrongClassSeeds(
            NDArray seed, double fraction, int classes, Random random, NDManager sm) {
        if (fraction <= 0) {
            return seed;
        }
        Shape s = seed.getShape();
        int n = (int) s.get(0);
        float[] wrong = new float[(int) s.size()];
        float[] mask = new float[n];
        int plane = (int) (s.get(2) * s.get(3));
        for (int i = 0; i < n; i++) {
            int cls = random.nextInt(classes);
            mask[i] = random.nextDouble() < fraction ? 1f : 0f;
            fillOneClass(wrong, i, classes, plane, cls);
        }
        NDArray m = sm.create(mask, new Shape(n, 1, 1, 1));
        return seed.mul(m.neg().add(1f)).add(sm.create(wrong, s).mul(m));
    }

    /**
     * Writes sample {@code i} of an {@code (N, classes, plane)} canvas that says "class {@code cls}
     * everywhere": logit +1 for that class and -1 for every other (a wrong-class seed).
     */
    static void fillOneClass(float[] canvas, int i, int classes, int plane, int cls) {
        for (int c = 0; c < classes; c++) {
            java.util.Arrays.fill(
                    canvas,
                    (i * classes + c) * plane,
                    (i * classes + c + 1) * plane,
                    c == cls ? 1f : -1f);
        }
    }

    private static void printProgress(
            PrintStream out,
            TrainingOptions o,
            int step,
            int startStep,
            double loss,
            boolean video,
            long framesDone,
            long t0) {
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int done = step - startStep;
        double perStep = elapsed / Math.max(1, done);
        double eta = perStep * (o.steps() - step);
        int width = 30;
        int filled = (int) ((long) width * step / o.steps());
        float lr =
                (float)
                        ((o.learningRate() - TrainingOptions.LR_EPSILON)
                                        * Math.pow(
                                                1 - (double) step / o.steps(),
                                                TrainingOptions.LR_POWER)
                                + TrainingOptions.LR_EPSILON);
        out.printf(
                Locale.ROOT,
                "[%s%s] %d/%d %s loss/frame %.4f lr %.5f %.1f img/s ETA %s%n",
                "#".repeat(filled),
                ".".repeat(width - filled),
                step,
                o.steps(),
                video ? "video" : "still",
                loss,
                lr,
                framesDone / Math.max(1e-9, elapsed),
                formatDuration(eta));
        out.flush();
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    /** Training stopped on request before its last step; the checkpoint resumes it. */
    public static final class Stopped extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Stopped(int step, Path checkpoint) {
            super(
                    "stopped before step "
                            + step
                            + (checkpoint == null
                                    ? "; nothing was trained"
                                    : "; the checkpoint at "
                                            + checkpoint
                                            + " resumes it (--resume)"));
        }
    }
}
