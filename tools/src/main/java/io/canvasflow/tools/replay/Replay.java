package io.canvasflow.tools.replay;

import io.canvasflow.clients.ClassMap;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.model.DefaultModels;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.CanvasSegmenter;
import io.canvasflow.topology.ModelSource;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
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
 * every mode on the same frames:
 *
 * <pre>{@code
 * ReplayResult result =
 *         Replay.builder()
 *                 .setConfig(CanvasFlowConfig.fromMap(Map.of("bootstrap.servers", "localhost:9092")))
 *                 .setTopic("frames")
 *                 .build()
 *                 .run();
 * }</pre>
 */
public final class Replay {

    /** Passes per sample frame when warming a model up: one from zero, then seeded ones. */
    private static final int WARM_UP_PASSES = 3;

    private final CanvasFlowConfig config;
    private final String topic;
    private final String sourceDescription;
    private final FrameRange range;
    private final List<ReplayMode> modes;
    private final Path rnnModel;
    private final Path feedForwardModel;
    private final int streamThreads;
    private final int latencyFrames;
    private final double latencyLoad;
    private final Duration idle;
    private final boolean keepTopics;
    private final PrintWriter progress;

    private Replay(Builder b) {
        this.config = b.config;
        this.topic = b.topic;
        this.sourceDescription = b.sourceDescription == null ? b.topic : b.sourceDescription;
        this.range = b.range;
        this.modes = List.copyOf(b.modes);
        this.rnnModel = b.rnnModel;
        this.feedForwardModel = b.feedForwardModel;
        this.streamThreads = b.streamThreads;
        this.latencyFrames = b.latencyFrames;
        this.latencyLoad = b.latencyLoad;
        this.idle = b.idle;
        this.keepTopics = b.keepTopics;
        this.progress = b.progress;
    }

    /** A new builder; the configuration (with bootstrap servers) and the topic are required. */
    public static Builder builder() {
        return new Builder();
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
        TopicSnapshot snapshot = TopicSnapshot.take(consumer, topic, range);
        SourceFrames source = SourceFrames.scan(snapshot, consumer, idle);
        if (source.frames() == 0) {
            throw new IllegalArgumentException(
                    "the topic "
                            + topic
                            + " holds no frames in the range ("
                            + range.describe()
                            + ")");
        }
        say(
                "Replaying %d frames of %d camera(s) from %s (%s), %d with ground truth, in %d"
                        + " mode(s)%n",
                source.frames(),
                source.cameras().size(),
                topic,
                range.describe(),
                source.groundTruthFrames(),
                modes.size());
        String runId = Long.toString(System.currentTimeMillis(), 36);
        ModeRunner runner =
                new ModeRunner(
                        config,
                        snapshot,
                        runId,
                        streamThreads,
                        new LatencyProbe(latencyFrames, latencyLoad),
                        idle,
                        keepTopics,
                        progress);
        List<ModeResult> results = new ArrayList<>();
        Map<String, Map<FrameKey, ClassMap>> sampleMasks = new LinkedHashMap<>();
        List<String> classNames;
        int[] classColors;
        boolean needsRnn = modes.stream().anyMatch(m -> !m.feedForward());
        boolean needsFf = modes.stream().anyMatch(ReplayMode::feedForward);
        try (SegmentationModel rnn =
                        needsRnn ? SegmentationModel.load(rnnModel, config.modelDevice()) : null;
                SegmentationModel ff =
                        needsFf
                                ? SegmentationModel.load(feedForwardModel, config.modelDevice())
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
            for (ReplayMode mode : modes) {
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
                        fmt(result.quality().miou(), 4),
                        fmt(result.quality().flicker().share(), 4),
                        result.cost().modelMsMean(),
                        result.cost().fps());
            }
        }
        return new ReplayResult(
                new ReplayResult.Input(
                        sourceDescription,
                        range.describe(),
                        source.records(),
                        source.frames(),
                        source.cameras().size(),
                        source.groundTruthFrames()),
                streamThreads,
                latencyLoad,
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

    private static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }

    /** Configures a {@link Replay}: {@code setX} is required, {@code optX} optional. */
    public static final class Builder {

        private CanvasFlowConfig config;
        private String topic;
        private String sourceDescription;
        private FrameRange range = FrameRange.all();
        private List<ReplayMode> modes = ReplayMode.standard();
        private Path rnnModel;
        private Path feedForwardModel;
        private int streamThreads = 1;
        private int latencyFrames = 100;
        private double latencyLoad = 0.8;
        private Duration idle = Duration.ofMinutes(2);
        private boolean keepTopics;
        private PrintWriter progress;

        private Builder() {}

        /**
         * Sets the settings every mode starts from: bootstrap servers, Kafka properties, user
         * overrides. The modes' own settings and fresh ids are applied on top.
         */
        public Builder setConfig(CanvasFlowConfig config) {
            this.config = config;
            return this;
        }

        /** Sets the frames topic to replay. */
        public Builder setTopic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Describes the source in the report (default: the topic name). */
        public Builder optSourceDescription(String description) {
            this.sourceDescription = description;
            return this;
        }

        /** Replays only part of the topic (default: all of it). */
        public Builder optRange(FrameRange range) {
            this.range = Objects.requireNonNull(range, "range");
            return this;
        }

        /** The modes to run, in order (default: {@link ReplayMode#standard()}). */
        public Builder optModes(List<ReplayMode> modes) {
            this.modes = List.copyOf(modes);
            return this;
        }

        /** The recurrent model (default: the configuration's {@code model.dir}). */
        public Builder optRnnModel(Path dir) {
            this.rnnModel = dir;
            return this;
        }

        /** The feed-forward baseline (default: the shipped {@code models/ff}). */
        public Builder optFeedForwardModel(Path dir) {
            this.feedForwardModel = dir;
            return this;
        }

        /** Kafka Streams threads per run (default 1). */
        public Builder optStreamThreads(int threads) {
            this.streamThreads = threads;
            return this;
        }

        /** Frames of the paced latency probe, 0 to skip it (default 100). */
        public Builder optLatencyFrames(int frames) {
            this.latencyFrames = frames;
            return this;
        }

        /** The probe's rate as a share of the mode's drain rate (default 0.8). */
        public Builder optLatencyLoad(double load) {
            this.latencyLoad = load;
            return this;
        }

        /** How long a run may make no progress before it is given up (default 2 minutes). */
        public Builder optIdleTimeout(Duration idle) {
            this.idle = Objects.requireNonNull(idle, "idle");
            return this;
        }

        /** Leaves each run's topics on the cluster (default: deleted). */
        public Builder optKeepTopics(boolean keep) {
            this.keepTopics = keep;
            return this;
        }

        /** Prints a line per step here. */
        public Builder optProgress(PrintWriter out) {
            this.progress = out;
            return this;
        }

        /**
         * Validates the settings.
         *
         * @return the replay, not yet running
         * @throws IllegalArgumentException naming the first setting that is missing or out of range
         */
        public Replay build() {
            if (config == null || config.bootstrapServers().isBlank()) {
                throw new IllegalArgumentException(
                        "expected a configuration with bootstrap servers but none was set");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("expected a frames topic to replay");
            }
            if (modes.isEmpty()) {
                throw new IllegalArgumentException("expected at least one replay mode");
            }
            if (streamThreads < 1 || latencyFrames < 0 || !(latencyLoad > 0 && latencyLoad <= 1)) {
                throw new IllegalArgumentException(
                        "expected stream threads >= 1, latency frames >= 0 and a latency load in"
                                + " (0, 1] but found "
                                + streamThreads
                                + ", "
                                + latencyFrames
                                + " and "
                                + latencyLoad);
            }
            if (rnnModel == null) {
                rnnModel = config.modelDir();
            }
            if (feedForwardModel == null) {
                feedForwardModel = DefaultModels.dir(DefaultModels.FEED_FORWARD);
            }
            return new Replay(this);
        }
    }
}
