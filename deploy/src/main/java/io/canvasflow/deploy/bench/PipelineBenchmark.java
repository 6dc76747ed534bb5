package io.canvasflow.deploy.bench;

import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.deploy.replay.FrameRange;
import io.canvasflow.deploy.replay.KafkaClients;
import io.canvasflow.deploy.replay.ModeOutcome;
import io.canvasflow.deploy.replay.ModeRunner;
import io.canvasflow.deploy.replay.ReplayMode;
import io.canvasflow.deploy.replay.Stats;
import io.canvasflow.deploy.replay.TopicSnapshot;
import io.canvasflow.model.Canvas;
import io.canvasflow.model.SegmentRequest;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.SegmentationResult;
import io.canvasflow.model.Segmenter;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.topology.CanvasFlowConfig;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The pipeline benchmark: on the same frames, in one run, the bare model's frames per second (a
 * {@link Segmenter} on one thread, no Kafka, each camera's first frame 6 iterations from zero and
 * every later one 2 iterations seeded with its previous canvas, as the topology does) against the
 * topology end to end through Kafka with one and with two stream threads: frames pre-published,
 * consumed to completion, then a latency probe paced at a share of the measured rate.
 *
 * <p>PyTorch runs each operator on an OpenMP pool of intra-op threads, by default one per core. Two
 * stream threads at that default ask for twice the cores there are; the two-thread run therefore
 * gives each stream thread its share of the cores, and, to show the difference, a second two-thread
 * run keeps the default.
 */
public final class PipelineBenchmark {

    /** Iterations of a camera's first frame, from a zero canvas (the topology's default). */
    static final int FULL_ITERATIONS = 6;

    /** Iterations of a seeded frame (the topology's default). */
    static final int SEEDED_ITERATIONS = 2;

    /**
     * One measured configuration.
     *
     * @param name what ran: {@code bare}, {@code end-to-end}
     * @param streamThreads Kafka Streams threads (0 for the bare model)
     * @param intraOpThreads PyTorch intra-op threads per model thread
     * @param frames frames measured
     * @param fps frames per second
     * @param meanModelMs mean model milliseconds per frame
     * @param latencyFrames frames of the latency probe
     * @param latencyRateFps the probe's rate
     * @param latencyP50Ms median latency, sent to mask readable (read_committed)
     * @param latencyP99Ms 99th percentile of the same
     * @param complete whether every frame got its mask
     */
    public record Phase(
            String name,
            int streamThreads,
            int intraOpThreads,
            long frames,
            double fps,
            double meanModelMs,
            int latencyFrames,
            double latencyRateFps,
            double latencyP50Ms,
            double latencyP99Ms,
            boolean complete) {}

    /**
     * The benchmark's figures.
     *
     * @param frames frames in the run
     * @param cameras cameras
     * @param processors processors the JVM sees
     * @param engineIntraOpThreads PyTorch's intra-op threads when the engine loaded
     * @param phases every measured configuration, in the order run
     * @param endToEndOverBare end-to-end frames/s with one stream thread / bare model frames/s
     * @param twoThreadsOverOne two stream threads (intra-op share) / one stream thread
     * @param twoThreadsDefaultIntraOpOverOne two stream threads at the default intra-op count / one
     */
    public record Result(
            long frames,
            int cameras,
            int processors,
            int engineIntraOpThreads,
            List<Phase> phases,
            double endToEndOverBare,
            double twoThreadsOverOne,
            double twoThreadsDefaultIntraOpOverOne) {}

    private PipelineBenchmark() {}

    /**
     * Runs every phase on the frames of a topic.
     *
     * @param config settings with bootstrap servers (and any user overrides)
     * @param topic the pre-published frames topic
     * @param model the recurrent model
     * @param warmUp frames run before the bare model is timed
     * @param latencyFrames frames of each latency probe, 0 for none
     * @param load the probes' rate as a share of the measured rate
     * @param compareDefaultIntraOp whether to also run two stream threads at the default intra-op
     *     count
     * @param idle how long a run may make no progress
     * @param progress where to print a line per step, or null
     * @return the figures
     * @throws InterruptedException when interrupted
     */
    public static Result run(
            CanvasFlowConfig config,
            String topic,
            SegmentationModel model,
            int warmUp,
            int latencyFrames,
            double load,
            boolean compareDefaultIntraOp,
            Duration idle,
            PrintWriter progress)
            throws InterruptedException {
        Map<String, Object> consumer = KafkaClients.consumer(config, "canvasflow-bench-read");
        TopicSnapshot snapshot = TopicSnapshot.take(consumer, topic, FrameRange.all());
        List<Frame> frames = new ArrayList<>();
        Deserializer<Frame> deserializer = AvroSerdes.frame().deserializer();
        snapshot.read(consumer, r -> frames.add(deserializer.deserialize(topic, r.value())), idle);
        long cameras = frames.stream().map(Frame::getCameraId).distinct().count();
        int engineThreads = TorchThreads.forNewThreads();
        int share = Math.max(1, engineThreads / 2);
        String runId = Long.toString(System.currentTimeMillis(), 36);
        List<Phase> phases = new ArrayList<>();

        say(
                progress,
                "Bare model, %d intra-op thread(s), %d frames...%n",
                engineThreads,
                frames.size());
        Phase bare = bare(model, frames, warmUp, engineThreads);
        phases.add(bare);
        say(progress, "  %.1f frames/s%n", bare.fps());

        Phase one =
                endToEnd(
                        config,
                        snapshot,
                        runId,
                        model,
                        1,
                        engineThreads,
                        latencyFrames,
                        load,
                        idle,
                        progress);
        phases.add(one);
        Phase two =
                endToEnd(
                        config,
                        snapshot,
                        runId,
                        model,
                        2,
                        share,
                        latencyFrames,
                        load,
                        idle,
                        progress);
        phases.add(two);
        Phase twoDefault = null;
        if (compareDefaultIntraOp && share != engineThreads) {
            twoDefault =
                    endToEnd(
                            config,
                            snapshot,
                            runId,
                            model,
                            2,
                            engineThreads,
                            latencyFrames,
                            load,
                            idle,
                            progress);
            phases.add(twoDefault);
        }
        TorchThreads.set(engineThreads);
        return new Result(
                frames.size(),
                (int) cameras,
                Runtime.getRuntime().availableProcessors(),
                engineThreads,
                phases,
                Stats.ratio(one.fps(), bare.fps()),
                Stats.ratio(two.fps(), one.fps()),
                twoDefault == null ? Double.NaN : Stats.ratio(twoDefault.fps(), one.fps()));
    }

    /** The bare model on a fresh thread, so that the intra-op count set now applies to it. */
    static Phase bare(SegmentationModel model, List<Frame> frames, int warmUp, int intraOp)
            throws InterruptedException {
        TorchThreads.set(intraOp);
        AtomicReference<Phase> out = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                out.set(timeBare(model, frames, warmUp));
                            } catch (RuntimeException e) {
                                failure.set(e);
                            }
                        },
                        "bench-bare-model");
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return out.get();
    }

    private static Phase timeBare(SegmentationModel model, List<Frame> frames, int warmUp) {
        try (Segmenter segmenter = model.newSegmenter()) {
            Map<String, Canvas> canvases = new HashMap<>();
            for (int i = 0; i < Math.min(warmUp, frames.size()); i++) {
                segment(segmenter, frames.get(i), ImageCodecs.frameImage(frames.get(i)), canvases);
            }
            canvases.clear();
            long nanos = 0;
            double modelMs = 0;
            for (Frame frame : frames) {
                // Decoding is the topology's work too, but not the model's: kept out of the time.
                BufferedImage image = ImageCodecs.frameImage(frame);
                long t0 = System.nanoTime();
                SegmentationResult r = segment(segmenter, frame, image, canvases);
                nanos += System.nanoTime() - t0;
                modelMs += r.modelMillis();
            }
            return new Phase(
                    "bare model",
                    0,
                    TorchThreads.get(),
                    frames.size(),
                    frames.size() / (nanos / 1e9),
                    modelMs / frames.size(),
                    0,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    true);
        }
    }

    /** What the topology does to a frame, minus Kafka: the same policy, sizes and seeds. */
    private static SegmentationResult segment(
            Segmenter segmenter, Frame frame, BufferedImage image, Map<String, Canvas> canvases) {
        Canvas seed = canvases.get(frame.getCameraId());
        SegmentationResult r =
                segmenter.segment(
                        SegmentRequest.builder()
                                .setImage(image)
                                .optSeed(seed)
                                .optIterations(seed == null ? FULL_ITERATIONS : SEEDED_ITERATIONS)
                                .optOutputSize(frame.getWidth(), frame.getHeight())
                                .build());
        canvases.put(frame.getCameraId(), r.canvas());
        return r;
    }

    private static Phase endToEnd(
            CanvasFlowConfig config,
            TopicSnapshot snapshot,
            String runId,
            SegmentationModel model,
            int threads,
            int intraOp,
            int latencyFrames,
            double load,
            Duration idle,
            PrintWriter progress)
            throws InterruptedException {
        say(
                progress,
                "End to end, %d stream thread(s) x %d intra-op thread(s)...%n",
                threads,
                intraOp);
        // Stream threads are created by the run and pick the count up on their first operator.
        TorchThreads.set(intraOp);
        ModeRunner runner =
                new ModeRunner(
                        config,
                        snapshot,
                        runId,
                        threads,
                        latencyFrames,
                        load,
                        idle,
                        false,
                        progress);
        ModeOutcome o =
                runner.run(ReplayMode.SEEDED_2, model, "bench-" + threads + "t-" + intraOp + "i");
        double modelMs =
                Stats.mean(o.masks().stream().map(r -> r.mask().getModelMillis()).toList());
        Phase phase =
                new Phase(
                        "end-to-end",
                        threads,
                        intraOp,
                        o.masks().size(),
                        o.fps(),
                        modelMs,
                        o.latencyFrames(),
                        o.latencyRate(),
                        Stats.percentile(o.latencyMs(), 50),
                        Stats.percentile(o.latencyMs(), 99),
                        o.complete());
        say(
                progress,
                "  %.1f frames/s; latency p50 %.0f ms, p99 %.0f ms at %.1f frames/s%n",
                phase.fps(),
                phase.latencyP50Ms(),
                phase.latencyP99Ms(),
                phase.latencyRateFps());
        return phase;
    }

    /** A readable table of the phases and the ratios. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%d frames of %d camera(s); %d processor(s); PyTorch intra-op threads at"
                                + " load: %d%n%n",
                        r.frames(),
                        r.cameras(),
                        r.processors(),
                        r.engineIntraOpThreads()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%-12s %7s %8s %7s %9s %9s %9s %9s %9s%n",
                        "run",
                        "streams",
                        "intra-op",
                        "frames",
                        "frames/s",
                        "model ms",
                        "probe f/s",
                        "p50 ms",
                        "p99 ms"));
        for (Phase p : r.phases()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-12s %7s %8d %7d %9.1f %9.1f %9s %9s %9s%s%n",
                            p.name(),
                            p.streamThreads() == 0 ? "-" : Integer.toString(p.streamThreads()),
                            p.intraOpThreads(),
                            p.frames(),
                            p.fps(),
                            p.meanModelMs(),
                            num(p.latencyRateFps(), 1),
                            num(p.latencyP50Ms(), 0),
                            num(p.latencyP99Ms(), 0),
                            p.complete() ? "" : "  (incomplete)"));
        }
        sb.append('\n');
        sb.append(
                String.format(
                        Locale.ROOT,
                        "end-to-end (1 stream thread) / bare model: %s   (bar: >= 0.9)%n",
                        num(r.endToEndOverBare(), 3)));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "2 stream threads / 1 stream thread:        %s   (bar: >= 1.6)%n",
                        num(r.twoThreadsOverOne(), 3)));
        if (Double.isFinite(r.twoThreadsDefaultIntraOpOverOne())) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "2 stream threads at %d intra-op threads each / 1 stream thread: %s%n",
                            r.engineIntraOpThreads(),
                            num(r.twoThreadsDefaultIntraOpOverOne(), 3)));
        }
        return sb.toString();
    }

    static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    private static void say(PrintWriter out, String format, Object... args) {
        if (out != null) {
            out.printf(Locale.ROOT, format, args);
            out.flush();
        }
    }
}
