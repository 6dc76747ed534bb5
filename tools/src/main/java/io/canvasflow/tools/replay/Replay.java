package io.canvasflow.tools.replay;

import io.canvasflow.clients.ClassMap;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.model.DefaultModels;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.TopicSnapshot;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.LatencyProbe;
import io.canvasflow.tools.common.ServedModel;
import io.canvasflow.tools.common.StartChecks;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.CanvasSegmenter;
import io.canvasflow.topology.ModelSource;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Replays a range of a frames topic through the CanvasFlow topology once per {@link ReplayMode},
 * each under a fresh application id with its own input, masks and dead-letter topics, and evaluates
 * every mode on the same frames. {@code canvasflow replay} ({@link ReplayCommand}) builds one from
 * its options.
 *
 * @param config the settings every mode starts from: bootstrap servers, Kafka properties, user
 *     overrides, the recurrent model's {@code model.dir}; the modes' own settings and fresh ids are
 *     applied on top
 * @param cluster the frames topic and the part of it to replay; whether to keep each run's topics
 * @param sourceDescription the source in the report; null for the topic name
 * @param plan the modes, in order, the feed-forward baseline (null for the shipped {@code
 *     models/ff}), Kafka Streams threads per run, and how long a run may make no progress
 * @param latency the paced latency probe after each mode (0 frames to skip it)
 * @param progress where to print a line per step, or null
 */
public record Replay(
        CanvasFlowConfig config,
        ReplayCommand.Cluster cluster,
        String sourceDescription,
        ReplayCommand.Run plan,
        LatencyProbe latency,
        PrintWriter progress) {

    /** Passes per sample frame when warming a model up: one from zero, then seeded ones. */
    private static final int WARM_UP_PASSES = 3;

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming the first setting that is missing or out of range
     */
    public Replay {
        if (config == null || config.bootstrapServers().isBlank()) {
            throw new IllegalArgumentException(
                    "expected a configuration with bootstrap servers but none was set");
        }
        if (cluster.topic() == null || cluster.topic().isBlank()) {
            throw new IllegalArgumentException("expected a frames topic to replay");
        }
        Objects.requireNonNull(cluster.range(), "range");
        Objects.requireNonNull(plan.idleTimeout(), "idle");
        if (plan.modes().isEmpty()) {
            throw new IllegalArgumentException("expected at least one replay mode");
        }
        if (plan.threads() < 1
                || latency.frames() < 0
                || !(latency.load() > 0 && latency.load() <= 1)) {
            throw new IllegalArgumentException(
                    "expected stream threads >= 1, latency frames >= 0 and a latency load in"
                            + " (0, 1] but found "
                            + plan.threads()
                            + ", "
                            + latency.frames()
                            + " and "
                            + latency.load());
        }
        if (sourceDescription == null) {
            sourceDescription = cluster.topic();
        }
    }

    /**
     * Runs every mode, one after another, and evaluates them.
     *
     * @return the figures
     * @throws IllegalArgumentException when the topic is missing or the range holds no frames
     * @throws io.canvasflow.model.ModelLoadException when a model cannot be loaded
     * @throws InterruptedException when interrupted
     */
    public ReplayResult run() throws InterruptedException {
        Map<String, Object> consumer = KafkaClients.consumer(config, "canvasflow-replay-scan");
        TopicSnapshot snapshot = TopicSnapshot.take(consumer, cluster.topic(), cluster.range());
        String threads =
                StartChecks.threadsProblem(plan.threads(), snapshot.partitions(), cluster.topic());
        if (threads != null) {
            throw new IllegalArgumentException(threads);
        }
        SourceFrames source = SourceFrames.scan(snapshot, consumer, plan.idleTimeout());
        if (source.frames() == 0) {
            throw new IllegalArgumentException(
                    "the topic "
                            + cluster.topic()
                            + " holds no frames in the range ("
                            + cluster.range().describe()
                            + ")");
        }
        say(
                "Replaying %d frames of %d camera(s) from %s (%s), %d with ground truth, in %d"
                        + " mode(s)%n",
                source.frames(),
                source.cameras().size(),
                cluster.topic(),
                cluster.range().describe(),
                source.groundTruthFrames(),
                plan.modes().size());
        String runId = Long.toString(System.currentTimeMillis(), 36);
        ModeRunner runner =
                new ModeRunner(
                        config,
                        snapshot,
                        runId,
                        StreamThreads.anywhere(plan.threads()),
                        latency,
                        plan.idleTimeout(),
                        cluster.keepTopics(),
                        progress);
        List<ModeResult> results = new ArrayList<>();
        Map<String, Map<FrameKey, ClassMap>> sampleMasks = new LinkedHashMap<>();
        List<String> classNames;
        int[] classColors;
        boolean needsRnn = plan.modes().stream().anyMatch(m -> !m.feedForward());
        boolean needsFf = plan.modes().stream().anyMatch(ReplayMode::feedForward);
        // Serve's PyTorch threads for the run's stream threads, set before the first model starts
        // the engine.
        try (SegmentationModel rnn =
                        needsRnn
                                ? ServedModel.load(config.modelDir(), config, plan.threads())
                                : null;
                SegmentationModel ff =
                        needsFf
                                ? ServedModel.load(
                                        plan.baseline() != null
                                                ? plan.baseline()
                                                : DefaultModels.dir(DefaultModels.FEED_FORWARD),
                                        config,
                                        plan.threads())
                                : null) {
            SegmentationModel first = rnn != null ? rnn : ff;
            classNames = first.spec().classNames();
            classColors = first.spec().classColors();
            for (SegmentationModel m : new SegmentationModel[] {rnn, ff}) {
                if (m != null) {
                    say(
                            "Warming %s up on %d frame(s)%n",
                            m.spec().version(), warmUp(m, source, config));
                }
            }
            for (ReplayMode mode : plan.modes()) {
                SegmentationModel model = mode.feedForward() ? ff : rnn;
                ModeOutcome outcome = runner.run(mode, model);
                Map<FrameKey, ClassMap> masks = new HashMap<>();
                ModeResult result =
                        ModeEvaluator.evaluate(
                                outcome, source, model.spec().classNames(), model.cost(), masks);
                sampleMasks.put(mode.name(), masks);
                results.add(result);
                say(
                        "  %s: %d masks%s, mIoU %s, flicker %s, %.1f model ms, %.1f frames/s%n",
                        mode.name(),
                        result.counts().frames(),
                        result.counts().complete() ? "" : " (INCOMPLETE)",
                        ReplayReport.num(result.quality().miou(), 4),
                        ReplayReport.num(result.quality().flicker().share(), 4),
                        result.cost().modelMsMean(),
                        result.cost().fps());
            }
        }
        return new ReplayResult(
                new ReplayResult.Input(
                        sourceDescription,
                        cluster.range().describe(),
                        source.records(),
                        source.frames(),
                        source.cameras().size(),
                        source.groundTruthFrames()),
                plan.threads(),
                latency.load(),
                new ReplayResult.Classes(classNames, classColors),
                results,
                samples(source, sampleMasks));
    }

    /**
     * Runs a model a few times before it is measured: PyTorch allocates memory and picks its
     * kernels on the first calls of each shape, which would otherwise count against whichever mode
     * runs a model first. Each sample frame passes through the topology's own frame core ({@link
     * CanvasSegmenter}) a few times, from zero and then seeded, as the topology runs it; a
     * segmenter of this thread's own, closed at the end.
     *
     * @return the frames run
     */
    private static int warmUp(
            SegmentationModel model, SourceFrames source, CanvasFlowConfig config) {
        CanvasFlowConfig settings =
                model.spec().network().type() == ModelType.RECURRENT
                        ? config
                        : ReplayMode.FEED_FORWARD.applyTo(config);
        int n = 0;
        // The topology's own frame core, on a segmenter of this thread's, closed with the source.
        try (ModelSource models = ModelSource.of(model)) {
            CanvasSegmenter core = new CanvasSegmenter(settings, models, System::currentTimeMillis);
            for (Frame frame : source.samples().values()) {
                BufferedImage image;
                try {
                    image = core.decode(frame.getCameraId(), frame);
                } catch (RuntimeException e) {
                    continue;
                }
                CanvasState canvas = null;
                for (int i = 0; i < WARM_UP_PASSES; i++) {
                    // A later sequence each pass, or the policy would drop it as a duplicate.
                    Frame pass =
                            Frame.newBuilder(frame).setSequence(frame.getSequence() + i).build();
                    canvas = core.segment(pass, image, canvas, true).newState();
                    n++;
                }
            }
        }
        return n;
    }

    private static ReplayResult.Samples samples(
            SourceFrames source, Map<String, Map<FrameKey, ClassMap>> masks) {
        List<FrameKey> keys = new ArrayList<>();
        Map<FrameKey, BufferedImage> images = new HashMap<>();
        Map<FrameKey, ClassMap> truth = new HashMap<>();
        for (Map.Entry<FrameKey, Frame> e : source.samples().entrySet()) {
            try {
                images.put(e.getKey(), ImageCodecs.frameImage(e.getValue()));
            } catch (RuntimeException ex) {
                continue;
            }
            keys.add(e.getKey());
            ByteBuffer gt = e.getValue().getGroundTruth();
            if (gt != null && gt.remaining() > 0) {
                truth.put(e.getKey(), ImageCodecs.classMap(ImageCodecs.bytes(gt)));
            }
        }
        return new ReplayResult.Samples(keys, images, truth, masks);
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.printf(Locale.ROOT, format, args);
            progress.flush();
        }
    }
}
