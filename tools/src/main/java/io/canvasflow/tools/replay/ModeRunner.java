package io.canvasflow.tools.replay;

import io.canvasflow.model.SegmentationModel;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.TopicSnapshot;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.tools.common.CpuUse;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.LatencyProbe;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.topology.CanvasFlowConfig;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Runs one {@link ReplayMode} over a {@link TopicSnapshot}: starts the topology under fresh ids,
 * copies the snapshot into the run's own input topic as fast as the broker takes it (the same
 * partition, key and bytes, so the original capture times and sequences drive the canvas policy),
 * and collects a mask per frame; the drain rate is the throughput, over the span from the stream
 * threads running to the last mask readable ({@link ModeOutcome.Drain#over}). Then, unless turned
 * off, a latency probe: the first frames again, under probe camera ids (fresh canvases), paced at a
 * share of that throughput, each timed from its send to its mask.
 *
 * @param base the settings every run starts from, with bootstrap servers
 * @param snapshot the records to replay
 * @param runId the id shared by the runs of one command
 * @param threads Kafka Streams threads per run, and their cores
 * @param probe the latency probe after the drain (0 frames: none), its rate a share of the drain
 *     rate
 * @param idle how long a run may make no progress
 * @param keepTopics whether to keep each run's topics
 * @param progress where to print a line per step, or null
 */
public record ModeRunner(
        CanvasFlowConfig base,
        TopicSnapshot snapshot,
        String runId,
        StreamThreads threads,
        LatencyProbe probe,
        Duration idle,
        boolean keepTopics,
        PrintWriter progress) {

    /** Appended to a camera id for its latency-probe copy. */
    static final String PROBE_SUFFIX = "-latency-probe";

    /**
     * Runs one mode.
     *
     * @param mode the mode
     * @param model the model it runs (the recurrent one or the baseline); it stays open
     * @return masks, counts, drain rate and probe latencies
     * @throws InterruptedException when interrupted
     */
    public ModeOutcome run(ReplayMode mode, SegmentationModel model) throws InterruptedException {
        return run(mode, model, mode.name());
    }

    /**
     * Runs one mode under a label of its own, for running a mode more than once in a command.
     *
     * @param mode the mode
     * @param model the model it runs; it stays open
     * @param label names the run's ids and topics, for example {@code seeded-2-threads-2}
     * @return masks, counts, drain rate and probe latencies
     * @throws InterruptedException when interrupted
     */
    public ModeOutcome run(ReplayMode mode, SegmentationModel model, String label)
            throws InterruptedException {
        List<MaskCollector.Received> drained = Collections.synchronizedList(new ArrayList<>());
        List<MaskCollector.Received> probed = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> settings = new LinkedHashMap<>(mode.settings());
        settings.put(CanvasFlowConfig.NUM_STREAM_THREADS, Integer.toString(threads.count()));
        if (base.lagWarnMs() == CanvasFlowConfig.defaults().lagWarnMs()) {
            // Replayed frames keep their capture times, so every camera is "behind" by the age of
            // the recording: the warning would only be noise here, unless the user asked for it.
            settings.put(CanvasFlowConfig.LAG_WARN_MS, "0");
        }
        String input = snapshot.topic() + "-replay-" + label + "-" + runId;
        long[] fed = new long[1];
        try (StreamsRun run =
                        StreamsRun.start(
                                base,
                                settings,
                                "replay-" + label,
                                runId,
                                input,
                                snapshot.partitions(),
                                true,
                                model,
                                threads.cores(),
                                r -> (isProbe(r.mask()) ? probed : drained).add(r),
                                keepTopics,
                                config -> {
                                    // The backlog is in place before the topology starts, so
                                    // that the drain rate is the topology's alone.
                                    say("  %s: copying the frames into %s%n", label, input);
                                    fed[0] = copy(config, input);
                                });
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                KafkaClients.producer(run.config(), "canvasflow-replay-probe"),
                                new ByteArraySerializer(),
                                new ByteArraySerializer())) {
            say("  %s: segmenting %d records%n", label, fed[0]);
            // One span for the frames/s, the processor time and the stage breakdown: from the
            // moment the threads have their partitions (the wait for them is not a frame's cost;
            // the backlog is already in place, and a first frame takes far longer than the wait's
            // 5 ms polls, so none is done yet) to the moment the last mask is readable. Every frame
            // counts, the first transaction's included, as every frame counts on the bare side.
            run.awaitRunning(idle, false);
            List<Integer> machine = threads.cores().machineCores();
            CpuUse.Snapshot cpuStart = CpuUse.snapshot(machine);
            StageTimes stagesStart = StageTimes.take(run.app());
            boolean complete =
                    run.collector()
                            .await(
                                    () ->
                                            drained.size()
                                                            + run.collector().deadLetters()
                                                            + run.duplicates()
                                                    >= fed[0],
                                    idle);
            CpuUse.Snapshot cpuEnd = CpuUse.snapshot(machine);
            StageTimes stagesEnd = StageTimes.take(run.app());
            ModeOutcome.Drain drain =
                    ModeOutcome.Drain.over(
                            CpuUse.between(cpuStart, cpuEnd),
                            stagesStart,
                            stagesEnd,
                            drained.size(),
                            threads.count(),
                            Stats.loadAverage());
            double fps = drain.fps();
            long deadLetters = run.collector().deadLetters();
            long duplicates = run.duplicates();
            List<Double> latencies = new ArrayList<>();
            double rate = Double.NaN;
            int probes = 0;
            if (probe.frames() > 0 && complete && fps > 0) {
                rate = probe.load() * fps;
                say(
                        "  %s: %.1f frames/s; latency probe of %d frames at %.1f frames/s%n",
                        label, fps, probe.frames(), rate);
                ProbeSent sent = probe(producer, input, rate, run, probed);
                probes = sent.frames();
                run.collector().await(() -> probed.size() >= sent.sentMs().size(), idle);
                synchronized (probed) {
                    for (MaskCollector.Received r : probed) {
                        Long at = sent.sentMs().get(key(r.mask()));
                        if (at != null) {
                            latencies.add((double) (r.receivedMs() - at));
                        }
                    }
                }
                if (latencies.size() < probes) {
                    say(
                            "  %s: latency probe incomplete: %d of %d masks arrived%n",
                            label, latencies.size(), probes);
                }
            }
            List<MaskCollector.Received> masks;
            synchronized (drained) {
                masks = List.copyOf(drained);
            }
            return new ModeOutcome(
                    mode,
                    model.spec().version(),
                    threads.count(),
                    masks,
                    new ModeOutcome.Accounting(fed[0], deadLetters, duplicates, complete),
                    drain,
                    new ModeOutcome.Probe(probes, rate, latencies));
        }
    }

    /** Copies the snapshot into the input topic, partition for partition. */
    private long copy(CanvasFlowConfig config, String input) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        KafkaClients.producer(config, "canvasflow-replay-copy"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            long n =
                    snapshot.read(
                            KafkaClients.consumer(base, "canvasflow-replay-read"),
                            record -> {
                                sends.add(
                                        producer.send(
                                                new ProducerRecord<>(
                                                        input,
                                                        record.partition(),
                                                        record.key(),
                                                        record.value())));
                                if (sends.size() >= 1000) {
                                    waitFor(sends);
                                }
                            },
                            idle);
            producer.flush();
            waitFor(sends);
            return n;
        }
    }

    /**
     * The latency probe: the first frames again under probe camera ids. Each probe camera's first
     * frame goes first, unpaced and untimed, and its mask is awaited: it starts a canvas from zero
     * at the full iterations, and a handful of those in a row would measure the queue they build
     * rather than the mode's steady state. Then the rest, paced at {@code rate}, each timed.
     *
     * @return the frames to time, and when each was sent (none when the priming frames' masks did
     *     not come)
     */
    private ProbeSent probe(
            KafkaProducer<byte[], byte[]> producer,
            String input,
            double rate,
            StreamsRun run,
            List<MaskCollector.Received> probed)
            throws InterruptedException {
        // Each camera's first frame primes it and is not timed: take more frames until the rest
        // make up the probe (a longer head can bring in cameras of its own), or the topic ends.
        List<ProbeFrame> head = probeFrames(input, probe.frames());
        while (true) {
            long cameras = head.stream().map(f -> f.frame().getCameraId()).distinct().count();
            if (head.size() - cameras >= probe.frames()) {
                break;
            }
            List<ProbeFrame> longer = probeFrames(input, probe.frames() + (int) cameras);
            if (longer.size() <= head.size()) {
                break;
            }
            head = longer;
        }
        Serializer<Frame> serializer = AvroSerdes.frame().serializer();
        Set<String> primed = new HashSet<>();
        List<ProbeFrame> paced = new ArrayList<>();
        for (ProbeFrame f : head) {
            if (primed.add(f.frame().getCameraId())) {
                send(producer, serializer, input, f);
            } else if (paced.size() < probe.frames()) {
                paced.add(f);
            }
        }
        producer.flush();
        if (!run.collector().await(() -> probed.size() >= primed.size(), idle)) {
            return new ProbeSent(paced.size(), Map.of());
        }
        probed.clear();
        Map<FrameKey, Long> sent = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        int i = 0;
        for (ProbeFrame f : paced) {
            long due = start + (long) (i++ * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            sent.put(
                    new FrameKey(f.frame().getCameraId(), f.frame().getSequence()),
                    System.currentTimeMillis());
            send(producer, serializer, input, f);
        }
        producer.flush();
        return new ProbeSent(paced.size(), sent);
    }

    /**
     * What the latency probe sent.
     *
     * @param frames the frames it was to time
     * @param sentMs per frame sent, when (wall-clock milliseconds)
     */
    private record ProbeSent(int frames, Map<FrameKey, Long> sentMs) {}

    /** A frame of the probe, renamed to its probe camera, and the partition it came from. */
    private record ProbeFrame(int partition, Frame frame) {}

    /** The first {@code count} frames of the snapshot in time order, under probe camera ids. */
    private List<ProbeFrame> probeFrames(String input, int count) {
        Deserializer<Frame> frames = AvroSerdes.frame().deserializer();
        List<ProbeFrame> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                snapshot.head(
                        KafkaClients.consumer(base, "canvasflow-replay-probe"), count, idle)) {
            Frame frame = SourceFrames.parse(frames, input, record.value());
            if (frame != null) {
                frame.setCameraId(frame.getCameraId() + PROBE_SUFFIX);
                out.add(new ProbeFrame(record.partition(), frame));
            }
        }
        return out;
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            Serializer<Frame> serializer,
            String input,
            ProbeFrame f) {
        producer.send(
                new ProducerRecord<>(
                        input,
                        f.partition(),
                        f.frame().getCameraId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(input, f.frame())));
    }

    private static boolean isProbe(MaskEvent mask) {
        return mask.getCameraId().endsWith(PROBE_SUFFIX);
    }

    private static FrameKey key(MaskEvent mask) {
        return new FrameKey(mask.getCameraId(), mask.getSequence());
    }

    private static void waitFor(List<Future<RecordMetadata>> sends) {
        try {
            for (Future<RecordMetadata> f : sends) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not copy a frame: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying frames", e);
        }
        sends.clear();
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.printf(Locale.ROOT, format, args);
            progress.flush();
        }
    }
}
