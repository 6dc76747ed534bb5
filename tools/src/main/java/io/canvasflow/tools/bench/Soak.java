package io.canvasflow.tools.bench;

import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.clients.SyntheticCameraSource;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.tools.common.CameraIds;
import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.StartChecks;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.tools.replay.StreamsRun;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A long run: publishes N frames of synthetic cameras through the topology on the broker it is
 * given, keeping a bounded backlog (as a live system would), and samples the heap, the resident set
 * and DJL's live NDArrays every few seconds. Two checkpoints, after warm-up and at the end, run a
 * full GC first so that their heap figures are the live heap; the drift between them is the result.
 *
 * <p>Each camera plays a short rendered clip forwards and backwards (so there is no cut at the
 * wrap), with sequence numbers and capture times that keep increasing, so the canvas policy seeds
 * frame after frame as it would on a real camera.
 */
public final class Soak {

    /**
     * One periodic sample.
     *
     * @param seconds since the topology started
     * @param frames masks received so far
     * @param heapUsedBytes heap in use (not collected first)
     * @param heapCommittedBytes heap reserved from the OS
     * @param rssBytes resident set size, -1 when unknown
     * @param ndArrays DJL's live NDArrays, -1 when unknown
     * @param loadAverage the machine's one-minute load average, NaN when unknown
     */
    public record Sample(
            double seconds,
            long frames,
            long heapUsedBytes,
            long heapCommittedBytes,
            long rssBytes,
            long ndArrays,
            double loadAverage) {

        /** Seconds, frames, heap MB, RSS MB, NDArrays and load: the columns every table prints. */
        Object[] columns() {
            return new Object[] {
                seconds, frames, mb(heapUsedBytes), mb(rssBytes), ndArrays, loadAverage
            };
        }
    }

    /**
     * A sample taken after a full GC, once the resident set has settled.
     *
     * @param name {@code warm-up} or {@code end}
     * @param sample the figures
     */
    public record Checkpoint(String name, Sample sample) {}

    /**
     * The figures of a soak.
     *
     * @param setup what ran
     * @param throughput frames, masks and rate
     * @param warmUpFrames frames before the warm-up checkpoint
     * @param samples the periodic samples
     * @param warm the checkpoint after warm-up, null when the run did not reach it (then there is
     *     no drift to report)
     * @param end the checkpoint at the end
     */
    public record Result(
            Setup setup,
            Throughput throughput,
            long warmUpFrames,
            List<Sample> samples,
            Checkpoint warm,
            Checkpoint end) {

        /** RSS at the end against RSS after warm-up, in percent; NaN without a warm-up. */
        public double rssDriftPercent() {
            return warm == null
                    ? Double.NaN
                    : percent(warm.sample().rssBytes(), end.sample().rssBytes());
        }

        /**
         * Heap after a full GC at the end against after warm-up, in percent; NaN without a warm-up.
         */
        public double heapDriftPercent() {
            return warm == null
                    ? Double.NaN
                    : percent(warm.sample().heapUsedBytes(), end.sample().heapUsedBytes());
        }

        /**
         * Live NDArrays at the end, idle, minus before the first frame, idle: what the frames left
         * behind. (Samples in between also count the arrays of the frame in flight.)
         *
         * @return the difference, 0 when the count cannot be read
         */
        public long ndArrayDrift() {
            long before = samples.isEmpty() ? -1 : samples.get(0).ndArrays();
            return before < 0 || end.sample().ndArrays() < 0 ? 0 : end.sample().ndArrays() - before;
        }

        /** The most live NDArrays any sample saw, -1 when unknown. */
        public long ndArraysMax() {
            return samples.stream().mapToLong(Sample::ndArrays).max().orElse(-1);
        }

        /**
         * RSS growth per 10,000 frames after warm-up, least squares over the samples.
         *
         * @return MB (10^6 bytes) per 10,000 frames, NaN with fewer than two samples or without a
         *     warm-up
         */
        public double rssSlopeMbPer10kFrames() {
            if (warm == null) {
                return Double.NaN;
            }
            List<Sample> after =
                    samples.stream()
                            .filter(s -> s.frames() >= warmUpFrames && s.rssBytes() > 0)
                            .toList();
            if (after.size() < 2) {
                return Double.NaN;
            }
            double mx = after.stream().mapToDouble(Sample::frames).average().orElse(0);
            double my = after.stream().mapToDouble(Sample::rssBytes).average().orElse(0);
            double sxy = 0;
            double sxx = 0;
            for (Sample s : after) {
                sxy += (s.frames() - mx) * (s.rssBytes() - my);
                sxx += (s.frames() - mx) * (s.frames() - mx);
            }
            return sxx == 0 ? Double.NaN : sxy / sxx * 10_000 / Stats.MB;
        }

        private static double percent(long from, long to) {
            return from <= 0 || to < 0 ? Double.NaN : (to - from) * 100.0 / from;
        }
    }

    /**
     * What a soak ran.
     *
     * @param cameras cameras
     * @param streamThreads Kafka Streams threads
     * @param broker where the broker ran: in this process, in a child JVM, or a cluster
     * @param model the version of the model that ran
     */
    public record Setup(int cameras, int streamThreads, String broker, String model) {}

    /**
     * How many frames a soak got through, and how fast.
     *
     * @param frames frames published
     * @param masks masks received
     * @param complete whether every frame got its mask
     * @param seconds from the topology's start to the last mask
     * @param fps frames per second over that time
     */
    public record Throughput(
            long frames, long masks, boolean complete, double seconds, double fps) {}

    /**
     * What to run.
     *
     * @param frames frames to publish, over all cameras
     * @param cameras synthetic cameras
     * @param partitions partitions of the soak's topic
     * @param streamThreads Kafka Streams threads
     * @param clipFrames frames rendered per camera and replayed back and forth
     * @param warmUpFrames frames before the warm-up checkpoint
     * @param pacing how fast frames are published and memory sampled
     */
    public record Settings(
            long frames,
            int cameras,
            int partitions,
            int streamThreads,
            int clipFrames,
            long warmUpFrames,
            Pacing pacing) {

        /** Checks the ranges, naming the option of the first that is out of range. */
        public Settings {
            require(frames >= 1, "--frames", ">= 1", frames);
            require(cameras >= 1, "--cameras", ">= 1", cameras);
            require(partitions >= 1, "--partitions", ">= 1", partitions);
            String threads =
                    StartChecks.threadsProblem(streamThreads, partitions, "frames-soak-ID");
            if (threads != null) {
                throw new IllegalArgumentException(threads);
            }
            require(clipFrames >= 2, "--clip-frames", ">= 2", clipFrames);
            // each camera's clip is rendered whole before it is encoded: found there, after the
            // broker and the topology started
            String tooLarge =
                    SyntheticCameraSource.heapProblem(
                            clipFrames,
                            SyntheticCameraSource.DEFAULT_WIDTH,
                            SyntheticCameraSource.DEFAULT_HEIGHT,
                            Runtime.getRuntime().maxMemory());
            if (tooLarge != null) {
                throw new IllegalArgumentException("--clip-frames " + clipFrames + " " + tooLarge);
            }
            require(
                    warmUpFrames >= 0 && warmUpFrames < frames,
                    "--warm-up-frames",
                    ">= 0 and below --frames",
                    warmUpFrames);
        }
    }

    /**
     * How fast a soak publishes and how often it samples.
     *
     * @param interval time between samples
     * @param backlog most frames published and not yet segmented
     * @param fps a fixed publishing rate, or null for as fast as the backlog allows
     * @param idle how long without a mask before giving up
     */
    public record Pacing(Duration interval, int backlog, Double fps, Duration idle) {

        /** Checks the ranges, naming the option of the first that is out of range. */
        public Pacing {
            require(
                    !interval.isNegative() && !interval.isZero(),
                    "--sample-interval",
                    "positive",
                    interval);
            require(backlog >= 1, "--backlog", ">= 1", backlog);
            require(fps == null || fps > 0, "--rate", "positive", fps);
            require(!idle.isNegative() && !idle.isZero(), "--idle-timeout", "positive", idle);
        }
    }

    private static void require(boolean holds, String option, String expected, Object found) {
        if (!holds) {
            throw new IllegalArgumentException(
                    "expected " + option + " " + expected + " but found " + found);
        }
    }

    /** How often the resident set is read while it settles after a checkpoint's GC. */
    private static final Duration SETTLE_INTERVAL = Duration.ofMillis(250);

    /**
     * Readings in a row that must agree within {@link #SETTLE_BYTES} for it to count as settled.
     */
    private static final int SETTLE_READINGS = 4;

    private static final long SETTLE_BYTES = 1024 * 1024;

    /** The longest a checkpoint waits for the resident set to settle. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(15);

    private Soak() {}

    /**
     * Runs a soak on the cluster of a configuration.
     *
     * @param config settings with bootstrap servers (and any user overrides)
     * @param model the recurrent model
     * @param s what to run
     * @param broker where the broker runs, for the report
     * @param progress where to print a line per sample, or null
     * @return the figures
     * @throws InterruptedException when interrupted
     * @throws TopologyStoppedException when its Kafka Streams stopped before every frame was
     *     segmented
     */
    public static Result run(
            CanvasFlowConfig config,
            SegmentationModel model,
            Settings s,
            String broker,
            PrintWriter progress)
            throws InterruptedException {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        String topic = "frames-soak-" + runId;
        KafkaClients.createTopic(config, topic, s.partitions());
        List<String> ids = CameraIds.spread("cam-", s.cameras(), s.partitions());
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicLong sent = new AtomicLong();
        AtomicReference<RuntimeException> feederFailure = new AtomicReference<>();
        try (FramePublisher publisher =
                        FramePublisher.builder()
                                .setBootstrapServers(config.bootstrapServers())
                                .optTopic(Topics.FRAMES.withName(topic))
                                .build();
                StreamsRun run =
                        StreamsRun.start(
                                config,
                                Map.of(
                                        CanvasFlowConfig.NUM_STREAM_THREADS,
                                        Integer.toString(s.streamThreads())),
                                "soak",
                                runId,
                                topic,
                                s.partitions(),
                                true,
                                model,
                                CorePlacement.shared("not pinned"),
                                r -> {},
                                false,
                                null)) {
            List<List<Frame>> clips = clips(publisher, ids, s.clipFrames());
            long start = System.nanoTime();
            ScheduledExecutorService sampler =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "soak-sampler");
                                t.setDaemon(true);
                                return t;
                            });
            // The first sample, before any frame, is the idle baseline of the NDArray count.
            samples.add(sample(start, 0));
            Thread feeder =
                    new Thread(
                            () -> {
                                try {
                                    feed(publisher, run, clips, ids, s, sent);
                                } catch (RuntimeException e) {
                                    feederFailure.set(e);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "soak-feeder");
            try {
                sampler.scheduleAtFixedRate(
                        () -> {
                            Sample x = sample(start, run.collector().masks());
                            samples.add(x);
                            say(progress, x);
                        },
                        s.pacing().interval().toMillis(),
                        s.pacing().interval().toMillis(),
                        TimeUnit.MILLISECONDS);
                feeder.start();
                boolean warmed =
                        run.collector()
                                .await(
                                        until(run, s.warmUpFrames(), feederFailure),
                                        s.pacing().idle());
                checkRunning(run, s.frames());
                check(feederFailure);
                // no checkpoint "after warm-up" where the run did not get there: its figures would
                // read as a drift measured over the soak
                Checkpoint warm =
                        warmed
                                ? new Checkpoint(
                                        "warm-up", checkpoint(start, run.collector().masks()))
                                : null;
                boolean complete =
                        warmed
                                && run.collector()
                                        .await(
                                                until(run, s.frames(), feederFailure),
                                                s.pacing().idle());
                double seconds = (System.nanoTime() - start) / 1e9;
                checkRunning(run, s.frames());
                check(feederFailure);
                long masks = run.collector().masks();
                Checkpoint end = new Checkpoint("end", checkpoint(start, masks));
                samples.add(end.sample());
                return new Result(
                        new Setup(s.cameras(), s.streamThreads(), broker, model.spec().version()),
                        new Throughput(sent.get(), masks, complete, seconds, masks / seconds),
                        s.warmUpFrames(),
                        List.copyOf(samples),
                        warm,
                        end);
            } finally {
                sampler.shutdownNow();
                feeder.interrupt();
                feeder.join(10_000);
            }
        }
    }

    /** Renders each camera's clip once and encodes it as frames, ready to re-stamp. */
    private static List<List<Frame>> clips(
            FramePublisher publisher, List<String> ids, int clipFrames) {
        List<List<Frame>> clips = new ArrayList<>();
        for (int c = 0; c < ids.size(); c++) {
            List<Frame> clip = new ArrayList<>();
            try (SyntheticCameraSource source = new SyntheticCameraSource(c, clipFrames)) {
                Optional<SourceFrame> next;
                while ((next = source.next()).isPresent()) {
                    clip.add(
                            publisher.encode(
                                    ids.get(c),
                                    0,
                                    Instant.now(),
                                    next.get().image(),
                                    null,
                                    Map.of("source", source.description())));
                }
            }
            clips.add(clip);
        }
        return clips;
    }

    private static void feed(
            FramePublisher publisher,
            StreamsRun run,
            List<List<Frame>> clips,
            List<String> ids,
            Settings s,
            AtomicLong sent)
            throws InterruptedException {
        long start = System.nanoTime();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        for (long i = 0; i < s.frames(); i++) {
            if (sendFailure.get() != null) {
                throw new IllegalStateException(
                        "a frame could not be sent: " + sendFailure.get().getMessage(),
                        sendFailure.get());
            }
            if (s.pacing().fps() != null) {
                long due = start + (long) (i * 1e9 / s.pacing().fps());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            while (sent.get() - run.collector().masks() >= s.pacing().backlog()) {
                Thread.sleep(2);
            }
            int camera = (int) (i % ids.size());
            long sequence = i / ids.size();
            List<Frame> clip = clips.get(camera);
            Frame frame =
                    Frame.newBuilder(clip.get(pingPong(sequence, clip.size())))
                            .setSequence(sequence)
                            .setCaptureTimestamp(Instant.ofEpochMilli(System.currentTimeMillis()))
                            .build();
            publisher.send(
                    frame,
                    (metadata, exception) -> {
                        if (exception != null) {
                            sendFailure.compareAndSet(null, exception);
                        }
                    });
            sent.incrementAndGet();
        }
        publisher.flush();
    }

    /**
     * The frame to show at step {@code i} of a clip of {@code n} frames played back and forth: 0,
     * 1, ..., n-1, n-2, ..., 1, 0, 1, ...
     *
     * @param i the step
     * @param n the clip length, at least 2
     * @return the frame index
     */
    public static int pingPong(long i, int n) {
        long period = 2L * (n - 1);
        long k = i % period;
        return (int) (k < n ? k : period - k);
    }

    private static Sample sample(long start, long frames) {
        return new Sample(
                (System.nanoTime() - start) / 1e9,
                frames,
                ProcessMemory.heapUsed(),
                ProcessMemory.heapCommitted(),
                ProcessMemory.rssBytes(),
                ProcessMemory.liveNdArrays(),
                Stats.loadAverage());
    }

    /**
     * A sample after a full GC, once the resident set has settled: G1 hands the heap it shrinks
     * back to the OS on a background thread after the collection, so the resident set read at once
     * can still hold hundreds of megabytes that are about to go.
     */
    private static Sample checkpoint(long start, long frames) throws InterruptedException {
        System.gc();
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        long previous = ProcessMemory.rssBytes();
        int stable = 0;
        while (stable < SETTLE_READINGS && System.nanoTime() < deadline) {
            Thread.sleep(SETTLE_INTERVAL.toMillis());
            long rss = ProcessMemory.rssBytes();
            stable = Math.abs(rss - previous) <= SETTLE_BYTES ? stable + 1 : 0;
            previous = rss;
        }
        return sample(start, frames);
    }

    /** Until {@code masks} masks came, the feeder failed or Kafka Streams stopped. */
    private static BooleanSupplier until(
            StreamsRun run, long masks, AtomicReference<RuntimeException> feederFailure) {
        return () ->
                run.collector().masks() >= masks
                        || feederFailure.get() != null
                        || run.stopped().isPresent();
    }

    /**
     * Ends the soak where its Kafka Streams stopped before every frame was segmented: no more masks
     * would come, and the samples until the idle timeout would measure an idle process.
     */
    private static void checkRunning(StreamsRun run, long frames) {
        Optional<String> stopped = run.stopped();
        long masks = run.collector().masks();
        if (stopped.isPresent() && masks < frames) {
            throw new TopologyStoppedException(
                    stopped.get()
                            + ", with "
                            + masks
                            + " of "
                            + frames
                            + " frames segmented, so the soak has no figures"
                            + run.app().failure().map(f -> ": " + f).orElse("; its log says why"));
        }
    }

    private static void check(AtomicReference<RuntimeException> failure) {
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void say(PrintWriter out, Sample x) {
        if (out != null) {
            out.printf(
                    Locale.ROOT,
                    "  %7.1f s %8d frames  heap %7.1f MB  RSS %7.1f MB  NDArrays %d  load %.1f%n",
                    x.columns());
            out.flush();
        }
    }

    /** Bytes in MB of 10^6, as the other benchmarks' and capacity's; NaN when unknown. */
    static double mb(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / Stats.MB;
    }
}
