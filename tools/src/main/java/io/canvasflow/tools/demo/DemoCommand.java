package io.canvasflow.tools.demo;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.DurationConverter;
import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.cli.options.KafkaOptions;
import io.canvasflow.cli.options.ModelOptions;
import io.canvasflow.cli.options.VideoOptions;
import io.canvasflow.clients.CliValues;
import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.FrameRate;
import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.GracefulStop;
import io.canvasflow.clients.MaskFollower;
import io.canvasflow.clients.OverlayRenderer;
import io.canvasflow.clients.OverlayWriter;
import io.canvasflow.clients.PublishJob;
import io.canvasflow.clients.PublishResult;
import io.canvasflow.clients.SyntheticCameraSource;
import io.canvasflow.clients.VideoFileSource;
import io.canvasflow.clients.view.TileBoard;
import io.canvasflow.clients.view.ViewBindException;
import io.canvasflow.clients.view.ViewCommand;
import io.canvasflow.clients.view.ViewServer;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.schemas.Topics;
import io.canvasflow.tools.common.StartChecks;
import io.canvasflow.tools.common.TemporaryStateDirs;
import io.canvasflow.tools.replay.StreamsRun;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The README's first command: the whole pipeline on one machine, in about two minutes. It starts an
 * embedded Kafka broker (unless given one), creates the topics, starts the segmentation topology,
 * publishes several synthetic cameras with ground truth (and a real video when given), follows the
 * mask events with a live table and the live viewer in the browser ({@code canvasflow view}'s page
 * on its own follower's joins; {@code --no-view} skips it), and writes a report folder: the figures
 * as JSON and Markdown, charts, overlay samples and an MP4 per camera.
 *
 * <p>On an external broker it uses topics of its own ({@code frames-demo-ID} and so on), so a demo
 * never mixes with other data.
 */
@Command(
        name = "demo",
        description =
                "Run the whole pipeline on this machine: embedded broker, topology, synthetic"
                        + " cameras (and --video), live mask table, live view in the browser,"
                        + " and a report folder.")
public final class DemoCommand extends BaseCommand {

    @Mixin KafkaOptions kafkaOptions;

    @Mixin ModelOptions modelOptions;

    /** The box a video's frames are scaled to fit unless {@code --video-size} gives another. */
    private static final String DEFAULT_VIDEO_SIZE = "384x288";

    @Option(
            names = "--cameras",
            defaultValue = "3",
            description =
                    "Synthetic cameras (test-split scenes 0..N-1). Default: ${DEFAULT-VALUE}.")
    private int cameras;

    @Option(
            names = "--frames",
            defaultValue = "200",
            description = "Frames per synthetic camera, at 10 fps. Default: ${DEFAULT-VALUE}.")
    private int frames;

    @Mixin VideoOptions videoOptions;

    @Option(
            names = "--video-size",
            paramLabel = "WxH",
            description =
                    "Scale the frames of --video down to fit within this box, keeping their"
                            + " aspect ratio. Default: "
                            + DEFAULT_VIDEO_SIZE
                            + ".")
    private String videoSize;

    @Option(
            names = "--max-rate",
            description = "Publish as fast as possible instead of in real time.")
    private boolean maxRate;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description =
                    "Stream threads; each runs PyTorch on (cores - 1) / threads intra-op"
                            + " threads (at least one), as serve does, unless"
                            + " -Dai.djl.pytorch.num_threads says otherwise."
                            + " Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "reports/demo",
            converter = FileConverters.DefaultedOutputFolder.class,
            description = "Report folder. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(
            names = "--timeout",
            defaultValue = "4m",
            converter = DurationConverter.class,
            paramLabel = "TIME",
            description =
                    "Give up waiting for the topology to run, and then for masks, each after"
                            + " this long, for example 30s, 5m or PT1H. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--no-view", description = "Do not serve the live view in the browser.")
    private boolean noView;

    @Option(
            names = "--view-port",
            paramLabel = "PORT",
            description =
                    "The live view's port on 127.0.0.1; 0 for any free one."
                            + " Default: "
                            + ViewServer.DEFAULT_PORT
                            + ".")
    private Integer viewPort;

    @Option(
            names = "--keep-topics",
            description =
                    "With --bootstrap-servers, keep this run's topics on the cluster (they are"
                            + " deleted at the end by default).")
    private boolean keepTopics;

    private volatile boolean stopping;

    /** The folder this run created for --out (its highest one), removed if it ends empty. */
    private Path createdOut;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter stdout = out();
        PrintWriter stderr = err();
        // On Ctrl-C or SIGTERM: interrupt the demo, so that it finishes the MP4s, stops the
        // topology and the broker and deletes their folders and its topics before the JVM goes.
        Thread demo = Thread.currentThread();
        Runnable stopDemo =
                () -> {
                    stopping = true;
                    demo.interrupt();
                };
        try (GracefulStop stop =
                new GracefulStop("demo-shutdown", stopDemo, Duration.ofSeconds(60))) {
            try {
                return runAndReport(stdout, stderr);
            } finally {
                replaceRunningNote(); // before the hook lets the JVM go
                removeCreatedOutIfEmpty();
            }
        }
    }

    private int runAndReport(PrintWriter stdout, PrintWriter stderr) throws IOException {
        try {
            DemoReport report = run(stdout);
            report.write(out);
            stdout.println();
            stdout.print(report.markdownSummary());
            stdout.printf("Report: %s%n", out.toAbsolutePath().resolve(DemoReport.MARKDOWN));
            stdout.flush();
            return report.complete() ? 0 : 1;
        } catch (ModelLoadException | IllegalArgumentException e) {
            stderr.println("canvasflow demo: " + e.getMessage());
            stderr.flush();
            return 2;
        } catch (ViewBindException e) {
            stderr.println(
                    "canvasflow demo: the live view "
                            + e.getMessage()
                            + " (choose another --view-port, 0 for any free one, or --no-view)");
            stderr.flush();
            return 2;
        } catch (InterruptedException | RuntimeException e) {
            // Stopped (wherever the interrupt landed: a Kafka client or a check may turn it
            // into its own exception), or failed.
            if (!stopping && e instanceof RuntimeException r) {
                throw r;
            }
            stderr.println("canvasflow demo: stopped before the end; no report was written");
            stderr.flush();
            return 130;
        }
    }

    /**
     * A demo that ended without its report leaves no "Running: watch it live" note behind: the note
     * says so instead.
     */
    private void replaceRunningNote() {
        Path note = out.resolve(DemoReport.MARKDOWN);
        try {
            if (Files.exists(note) && Files.readString(note).startsWith(DemoReport.RUNNING)) {
                Files.writeString(note, DemoReport.stoppedMarkdown());
            }
        } catch (IOException e) {
            // the command has said what went wrong; this note is a courtesy
        }
    }

    /**
     * A run stopped or failed before anything was written in an --out folder it created leaves no
     * empty folder behind (the overlays folder is made before the first frame).
     */
    private void removeCreatedOutIfEmpty() {
        if (createdOut == null) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(createdOut)) {
            if (paths.allMatch(Files::isDirectory)) {
                deleteRecursively(createdOut);
            }
        } catch (IOException | UncheckedIOException e) {
            // the command has said what went wrong; an empty folder left is no harm
        }
    }

    private void validate() {
        Path video = videoOptions.video();
        require(
                cameras >= 1 || (cameras == 0 && video != null),
                "--cameras",
                ">= 1 (or 0 with a --video)",
                cameras);
        require(frames >= 1, "--frames", ">= 1", frames);
        // the demo's frames topic gets the default topic.partitions
        refuseIf(
                StartChecks.threadsProblem(
                        threads,
                        CanvasFlowConfig.defaults().topicPartitions(),
                        kafkaOptions.bootstrapServers() == null
                                ? Topics.FRAMES.name()
                                : Topics.FRAMES.name() + "-demo-ID"));
        refuseIf(videoOptions.problem());
        refuseIf(StartChecks.videoProblem(video));
        refuseIf(FileConverters.folderProblem(out, "--out"));
        parseSize(videoSize);
        if (videoSize != null && video == null) {
            throw usage(VideoOptions.onlyWithVideo("--video-size"));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw usage("expected a positive --timeout but found " + timeout);
        }
        if (viewPort != null && (viewPort < 0 || viewPort > 65535)) {
            throw usage("expected --view-port between 0 and 65535 but found " + viewPort);
        }
        if (noView && viewPort != null) {
            throw usage(
                    "--view-port is the live view's port and --no-view turns the view off; give"
                            + " one or the other");
        }
        refuseIf(StartChecks.keepTopicsProblem(keepTopics, kafkaOptions.bootstrapServers()));
        // The model and the cluster before anything starts: a bad one is one sentence now, not a
        // stack trace after the broker and an empty report folder.
        refuseIf(StartChecks.modelProblem(modelOptions.model(), "--model"));
        String unreachable = kafkaOptions.unreachable();
        if (unreachable != null) {
            throw usage(unreachable);
        }
    }

    private int[] parseSize(String size) {
        try {
            return CliValues.size(size == null ? DEFAULT_VIDEO_SIZE : size, "--video-size");
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Runs the pipeline and returns what it measured; the report is not written yet. */
    DemoReport run(PrintWriter console) throws IOException, InterruptedException {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        // The live view listens first, so that a taken port stops the demo before anything starts
        // (the report folder included).
        TileBoard board = new TileBoard();
        AtomicReference<MaskFollower> following = new AtomicReference<>();
        ViewServer view = noView ? null : startView(board, following);
        EmbeddedKafkaBroker broker = null;
        Path stateDir = Files.createTempDirectory("canvasflow-demo-state");
        TemporaryStateDirs.quietWarning();
        ExecutorService pool = Executors.newCachedThreadPool();
        CanvasFlowConfig onCluster = null; // a run on someone else's cluster, whose topics go
        try {
            prepareOutput();
            if (view != null) {
                console.printf("Live view at %s (while the demo runs)%n", view.url());
                Files.writeString(
                        out.resolve(DemoReport.MARKDOWN), DemoReport.runningMarkdown(view.url()));
            }
            if (kafkaOptions.bootstrapServers() == null) {
                console.println("Starting an embedded Kafka broker...");
                console.flush();
                broker = EmbeddedKafkaBroker.builder().build().start();
            }
            String bootstrap =
                    broker == null ? kafkaOptions.bootstrapServers() : broker.bootstrapServers();
            CanvasFlowConfig config = config(bootstrap, runId, stateDir);
            onCluster = broker == null ? config : null;
            console.printf(
                    "Kafka at %s; topics %s, %s, %s%n",
                    bootstrap, config.framesTopic(), config.masksTopic(), config.dlqTopic());
            try (CanvasFlowApp app = CanvasFlowApp.start(config);
                    OverlayWriter overlays =
                            new OverlayWriter(
                                    out.resolve(DemoReport.OVERLAYS),
                                    25,
                                    new OverlayRenderer(0.55, true))) {
                // Publishing starts once the stream threads own their partitions: frames sent
                // during the rebalance and the state restore (2-4 s on two cores) waited, and the
                // topology's lag watch took that wait for a camera it segments too slowly.
                StreamsRun.awaitRunning(app, timeout, false);
                console.printf(
                        "Topology running (model %s, %d stream thread%s); publishing...%n%n",
                        config.modelDir(), threads, threads == 1 ? "" : "s");
                console.flush();
                DemoScore score = new DemoScore();
                MaskFollower.Builder followerBuilder =
                        MaskFollower.builder()
                                .setBootstrapServers(bootstrap)
                                .optMasksTopic(Topics.MASKS.withName(config.masksTopic()))
                                .optFramesTopic(Topics.FRAMES.withName(config.framesTopic()))
                                .optFromBeginning(true)
                                .optOverlays(overlays)
                                .optTable(console, System.console() != null)
                                .optTableInterval(Duration.ofSeconds(2))
                                .optListener(score::onMask);
                if (view != null) {
                    followerBuilder.optJoinListener(board::onJoined);
                }
                MaskFollower follower = followerBuilder.build();
                following.set(follower);
                Future<io.canvasflow.clients.FollowResult> followed = pool.submit(follower::run);
                List<Future<PublishResult>> publishing = new ArrayList<>();
                if (cameras > 0) {
                    publishing.add(pool.submit(() -> publishSynthetic(config, bootstrap, score)));
                }
                if (videoOptions.video() != null) {
                    publishing.add(pool.submit(() -> publishVideo(config, bootstrap)));
                }
                long published = 0;
                List<PublishResult> results = new ArrayList<>();
                try {
                    for (Future<PublishResult> f : publishing) {
                        PublishResult r = get(f);
                        results.add(r);
                        published += r.totalFrames();
                    }
                    long deadline = System.nanoTime() + timeout.toNanos();
                    while (follower.snapshot().values().stream().mapToLong(s -> s.frames()).sum()
                                    < published
                            && System.nanoTime() < deadline
                            && !followed.isDone()) {
                        Thread.sleep(200);
                    }
                } catch (InterruptedException e) {
                    // Stopped: the follower lets go of the overlays before they are closed, so
                    // that the MP4s written so far are finished and play.
                    follower.stop();
                    awaitQuietly(followed);
                    throw e;
                }
                follower.stop();
                io.canvasflow.clients.FollowResult result = get(followed);
                overlays.close(); // finishes the MP4s before the report lists them
                return new DemoReport(
                        config.modelDir().toString(),
                        view == null ? null : view.url(),
                        results,
                        result,
                        score,
                        overlays.pngSamples(),
                        overlays.videos(),
                        out);
            }
        } finally {
            // An interrupt that was not consumed would cut the clean-up short (the topics'
            // deletion first): taken here, and put back after.
            boolean interrupted = Thread.interrupted();
            pool.shutdownNow();
            if (view != null) {
                view.close();
            }
            if (broker != null) {
                broker.close();
            }
            if (onCluster != null && !keepTopics) {
                StreamsRun.deleteTopics(
                        onCluster,
                        List.of(
                                onCluster.framesTopic(),
                                onCluster.masksTopic(),
                                onCluster.dlqTopic()));
            }
            deleteRecursively(stateDir);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The live view on loopback, showing the demo follower's statistics once it runs. */
    private ViewServer startView(TileBoard board, AtomicReference<MaskFollower> follower) {
        return ViewServer.start(
                ViewCommand.address(
                        "127.0.0.1", viewPort == null ? ViewServer.DEFAULT_PORT : viewPort),
                board,
                () -> {
                    MaskFollower f = follower.get();
                    return f == null ? Map.of() : f.snapshot();
                },
                "the demo's topics");
    }

    private CanvasFlowConfig config(String bootstrap, String runId, Path stateDir) {
        CanvasFlowConfig config =
                CanvasFlowConfig.defaults()
                        .with(CanvasFlowConfig.BOOTSTRAP_SERVERS, bootstrap)
                        .with(CanvasFlowConfig.APPLICATION_ID, "canvasflow-demo-" + runId)
                        .with(CanvasFlowConfig.TOPICS_CREATE, "true")
                        // the demo shows --model: not a model a cluster's registry assigns, nor
                        // the registry topics made on someone else's cluster
                        .with(CanvasFlowConfig.MODELS_FOLLOW, "false")
                        .with(CanvasFlowConfig.STATE_DIR, stateDir.toString())
                        .with(CanvasFlowConfig.HTTP_PORT, "0")
                        .with(CanvasFlowConfig.NUM_STREAM_THREADS, Integer.toString(threads));
        if (modelOptions.model() != null) {
            config = config.with(CanvasFlowConfig.MODEL_DIR, modelOptions.model().toString());
        }
        if (kafkaOptions.bootstrapServers() != null) {
            // Someone else's cluster: topics of this run only.
            String suffix = "-demo-" + runId;
            config =
                    config.with(CanvasFlowConfig.TOPIC_FRAMES, Topics.FRAMES.name() + suffix)
                            .with(CanvasFlowConfig.TOPIC_MASKS, Topics.MASKS.name() + suffix)
                            .with(CanvasFlowConfig.TOPIC_DLQ, Topics.FRAMES_DLQ.name() + suffix);
        }
        return config;
    }

    private PublishResult publishSynthetic(
            CanvasFlowConfig config, String bootstrap, DemoScore score)
            throws InterruptedException {
        try (FramePublisher publisher =
                FramePublisher.builder()
                        .setBootstrapServers(bootstrap)
                        .optTopic(Topics.FRAMES.withName(config.framesTopic()))
                        .build()) {
            PublishJob.Builder job =
                    PublishJob.builder()
                            .setPublisher(publisher)
                            .optRate(maxRate ? FrameRate.max() : FrameRate.realtime());
            for (int i = 0; i < cameras; i++) {
                String id = "synthetic-" + i;
                FrameSource source = new SyntheticCameraSource(i, frames);
                job.addCamera(id, score.recording(id, source));
            }
            return job.build().run();
        }
    }

    private PublishResult publishVideo(CanvasFlowConfig config, String bootstrap)
            throws InterruptedException {
        int[] size = parseSize(videoSize);
        try (FramePublisher publisher =
                FramePublisher.builder()
                        .setBootstrapServers(bootstrap)
                        .optTopic(Topics.FRAMES.withName(config.framesTopic()))
                        .optFitWithin(size[0], size[1])
                        .build()) {
            Path video = videoOptions.video();
            return PublishJob.builder()
                    .setPublisher(publisher)
                    .addCamera(videoCameraId(video), VideoFileSource.open(video))
                    .optRate(maxRate ? FrameRate.max() : FrameRate.realtime())
                    .optLimit(videoOptions.videoFrames())
                    .build()
                    .run();
        }
    }

    /** The camera id of a video: its file name without the extension, e.g. {@code vtest}. */
    static String videoCameraId(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String id = stem.replaceAll("[^A-Za-z0-9._-]", "-");
        return id.isEmpty() ? "video" : id;
    }

    private void prepareOutput() throws IOException {
        Path highest = out.toAbsolutePath().normalize();
        while (highest.getParent() != null && !Files.exists(highest.getParent())) {
            highest = highest.getParent();
        }
        if (!Files.exists(highest)) {
            createdOut = highest;
        }
        Files.createDirectories(out);
        // Only what a previous demo wrote; the folder may hold other files of the user's.
        deleteRecursively(out.resolve(DemoReport.OVERLAYS));
        for (String file : DemoReport.FILES) {
            Files.deleteIfExists(out.resolve(file));
        }
    }

    private static <T> T get(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    private static void awaitQuietly(Future<?> future) {
        try {
            future.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // the follower's end does not matter any more: the demo is stopping
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
