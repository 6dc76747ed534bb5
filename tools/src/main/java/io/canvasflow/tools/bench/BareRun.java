package io.canvasflow.tools.bench;

import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.tools.bench.PipelineBenchmark.Measure;
import io.canvasflow.tools.bench.PipelineBenchmark.Phase;
import io.canvasflow.tools.bench.PipelineBenchmark.Threads;
import io.canvasflow.tools.bench.PipelineBenchmark.Throughput;
import io.canvasflow.tools.common.CpuUse;
import io.canvasflow.tools.common.Latency;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.tools.replay.StageTimes;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.CanvasSegmenter;
import io.canvasflow.topology.ModelSource;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline benchmark's bare side: the topology's Kafka-free frame core ({@link
 * CanvasSegmenter}) on threads of its own, each camera's canvas kept in a map instead of a state
 * store, timed stage by stage in the rows the end-to-end runs report.
 */
final class BareRun {

    private BareRun() {}

    /**
     * The bare frame core on fresh threads (so that the intra-op count set now applies to them),
     * each with its share of the cameras as stream threads get theirs by partition. Each thread
     * warms up on its own frames, then all start together; a thread's time is what a stream thread
     * spends on a frame outside Kafka (decode, policy, model, mask encoding), and the run takes as
     * long as its slowest thread: the span from the start signal to the last thread's end, which
     * the frames/s, the processor time and the stages are all taken over.
     */
    static Phase run(
            CanvasFlowConfig config,
            SegmentationModel model,
            List<Frame> frames,
            int warmUp,
            int intraOp,
            int threads,
            int round,
            Measure measure)
            throws InterruptedException {
        TorchThreads.set(intraOp);
        List<String> cameras = frames.stream().map(Frame::getCameraId).distinct().sorted().toList();
        Map<String, Integer> threadOf = new HashMap<>();
        for (int c = 0; c < cameras.size(); c++) {
            threadOf.put(cameras.get(c), c % threads);
        }
        List<List<Frame>> shares = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            shares.add(new ArrayList<>());
        }
        for (Frame frame : frames) {
            shares.get(threadOf.get(frame.getCameraId())).add(frame);
        }
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(threads);
        CountDownLatch measured = new CountDownLatch(1);
        double[] modelMs = new double[threads];
        BareStages[] stages = new BareStages[threads];
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        // The model's segmenters (one per thread) are closed with the source.
        try (ModelSource source = ModelSource.of(model)) {
            for (int t = 0; t < threads; t++) {
                int index = t;
                Thread worker =
                        new Thread(
                                () -> {
                                    try {
                                        // Where a stream thread would run (its intra-op threads,
                                        // started from here, follow).
                                        measure.placement().pinThisThreadToProcessorCores();
                                        // A frame core per worker, as per stream task: its
                                        // policies and encoders are not for sharing between
                                        // threads (two workers on one failed in computeIfAbsent).
                                        CanvasSegmenter core =
                                                new CanvasSegmenter(
                                                        config, source, System::currentTimeMillis);
                                        List<Frame> mine = shares.get(index);
                                        Map<String, CanvasState> warm = new HashMap<>();
                                        BareStages ignored = new BareStages();
                                        for (Frame frame :
                                                mine.subList(0, Math.min(warmUp, mine.size()))) {
                                            segment(core, frame, warm, ignored);
                                        }
                                        ready.countDown();
                                        go.await();
                                        Map<String, CanvasState> canvases = new HashMap<>();
                                        BareStages mineStages = new BareStages();
                                        for (Frame frame : mine) {
                                            MaskEvent mask =
                                                    segment(core, frame, canvases, mineStages);
                                            if (mask != null) {
                                                modelMs[index] += mask.getModelMillis();
                                            }
                                        }
                                        stages[index] = mineStages;
                                        // Alive until measured: a dead thread's time has no name.
                                        finished.countDown();
                                        measured.await();
                                    } catch (RuntimeException e) {
                                        failure.compareAndSet(null, e);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    } finally {
                                        // A worker that failed early must not leave the run
                                        // waiting.
                                        ready.countDown();
                                        finished.countDown();
                                    }
                                },
                                CpuUse.MODEL_THREAD_PREFIX + "bench-bare-" + (t + 1));
                workers.add(worker);
                worker.start();
            }
            ready.await();
            List<Integer> machine = measure.placement().machineCores();
            CpuUse.Snapshot start = CpuUse.snapshot(machine);
            go.countDown();
            finished.await();
            CpuUse.Usage cpu = CpuUse.between(start, CpuUse.snapshot(machine));
            measured.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            BareStages all = new BareStages();
            for (BareStages st : stages) {
                all.add(st);
            }
            return new Phase(
                    "bare model",
                    new Threads(0, threads, intraOp),
                    // The frames/s, the processor time and the stages are of one span, from the
                    // start signal to the slowest thread's last frame, as end to end.
                    new Throughput(
                            frames.size(),
                            frames.size() * 1000 / cpu.wallMs(),
                            Arrays.stream(modelMs).sum() / frames.size(),
                            true),
                    Latency.none(),
                    Stats.loadAverage(),
                    round,
                    cpu,
                    all.perFrameMs(frames.size(), threads * cpu.wallMs() / frames.size()));
        }
    }

    /**
     * What the topology does to a frame, minus Kafka: the topology's own frame core, with a map
     * standing in for the canvas store.
     *
     * @return the mask, or null for a duplicate the topology would drop too
     */
    private static MaskEvent segment(
            CanvasSegmenter core,
            Frame frame,
            Map<String, CanvasState> canvases,
            BareStages stages) {
        String camera = frame.getCameraId();
        long t0 = System.nanoTime();
        BufferedImage image = core.decode(camera, frame);
        stages.decodeNanos += System.nanoTime() - t0;
        CanvasSegmenter.Outcome outcome = core.segment(frame, image, canvases.get(camera), true);
        if (outcome.newState() != null) {
            canvases.put(camera, outcome.newState());
        }
        if (outcome.stages() != null) {
            stages.add(outcome.stages());
        }
        return outcome.mask();
    }

    /** The bare core's stage totals on one thread, in the rows end-to-end runs report. */
    private static final class BareStages {
        private double decodeNanos;
        private double backboneMs;
        private double iterationsMs;
        private double resizeMs;
        private double encodeMs;

        void add(CanvasSegmenter.Stages s) {
            backboneMs += s.backboneMillis();
            iterationsMs += s.iterationsMillis();
            resizeMs += s.resizeMillis();
            encodeMs += s.encodeMillis();
        }

        void add(BareStages o) {
            if (o != null) {
                decodeNanos += o.decodeNanos;
                backboneMs += o.backboneMs;
                iterationsMs += o.iterationsMs;
                resizeMs += o.resizeMs;
                encodeMs += o.encodeMs;
            }
        }

        /** Per frame; {@code other}: the thread's time per frame not in a stage. */
        Map<String, Double> perFrameMs(long frames, double threadMsPerFrame) {
            Map<String, Double> ms = new java.util.LinkedHashMap<>();
            ms.put("decode", decodeNanos / 1e6 / frames);
            ms.put("backbone", backboneMs / frames);
            ms.put("iterations", iterationsMs / frames);
            ms.put("resize", resizeMs / frames);
            ms.put("encode", encodeMs / frames);
            double accounted = ms.values().stream().mapToDouble(Double::doubleValue).sum();
            ms.put(StageTimes.OTHER, threadMsPerFrame - accounted);
            return ms;
        }
    }
}
