package io.canvasflow.tools.bench;

import io.canvasflow.model.DefaultModels;
import io.canvasflow.schemas.StoreNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.tools.common.CameraIds;
import io.canvasflow.tools.common.CorePlacement;
import io.canvasflow.tools.common.KafkaClients;
import io.canvasflow.tools.common.Stats;
import io.canvasflow.tools.replay.MaskCollector;
import io.canvasflow.tools.replay.StageTimes;
import io.canvasflow.tools.replay.StreamsRun;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.CanvasFlowMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One camera count of {@code bench scale}: {@code serve} in a child JVM (on the processor's cores)
 * with as many partitions as cameras (up to a cap), the same total frame rate spread over the
 * cameras, and what a frame cost: the serve process's CPU time per frame (all its threads: stream
 * thread, Kafka clients, GC, RocksDB), the model's milliseconds, capture-to-mask latency, the
 * canvas store's bytes per camera and the process's resident set.
 */
final class ScaleBenchmark {

    /**
     * What one camera count cost.
     *
     * @param cameras cameras
     * @param partitions partitions of the frames topic
     * @param load the frames and how fast they were sent
     * @param cost per-frame CPU and model time
     * @param latency capture to mask readable, p50 and p99 ms
     * @param memory the serve process's memory and the canvas store's size
     * @param traffic the records' sizes
     * @param stagesMs where the stream thread's milliseconds per frame went: serve's stage timers,
     *     then Kafka's commit and poll waits
     */
    record Run(
            int cameras,
            int partitions,
            Load load,
            Cost cost,
            double[] latency,
            Memory memory,
            Traffic traffic,
            Map<String, Double> stagesMs) {}

    /**
     * What a frame puts on Kafka.
     *
     * @param frameBytes a frame's JPEG image, mean
     * @param maskBytes a mask event as serialised, mean
     */
    record Traffic(double frameBytes, double maskBytes) {}

    /**
     * The measured frames.
     *
     * @param frames frames measured (after the warm-up)
     * @param rate the total rate asked for, frames/s
     * @param seconds from the first measured frame sent to its last mask
     * @param seededShare the share of measured masks whose canvas was seeded
     */
    record Load(long frames, double rate, double seconds, double seededShare) {}

    /**
     * Per-frame cost.
     *
     * @param cpuMsPerFrame serve's CPU time (all threads) per measured frame
     * @param modelMs the model's mean milliseconds per frame
     * @param coresBusy serve's CPU time over the measured span, in cores
     * @param commit the exactly-once commits over the measured span
     */
    record Cost(double cpuMsPerFrame, double modelMs, double coresBusy, Commits commit) {}

    /**
     * The stream thread's commits: under exactly-once it waits for each (the producer's flush and
     * the transaction calls), its core idle, so that the time they take is a share of what one
     * thread can segment.
     *
     * @param perSecond commits per second
     * @param msEach milliseconds a commit kept the stream thread waiting, on average
     */
    record Commits(double perSecond, double msEach) {

        /** From two {@link ServeProcess#stageTotals} over a span; NaN where none was counted. */
        static Commits between(Map<String, Double> before, Map<String, Double> after, double span) {
            double commits = delta(before, after, "commits");
            return new Commits(
                    commits / span,
                    commits > 0 ? delta(before, after, "commit") / 1e6 / commits : Double.NaN);
        }
    }

    /**
     * Memory.
     *
     * @param rssBytes serve's resident set after the measured frames
     * @param canvasBytesPerCamera the mean size of a camera's value in the canvas store's changelog
     * @param canvasValue one such value, as it is in the changelog, for the restore benchmark
     */
    record Memory(long rssBytes, double canvasBytesPerCamera, byte[] canvasValue) {}

    /**
     * The settings every serve of the benchmark shares.
     *
     * @param bootstrapServers the broker
     * @param placement which cores serve runs on
     * @param model the model directory, or null for the shipped one
     * @param overrides user settings for serve
     * @param work where the state directories and logs go
     */
    record Common(
            String bootstrapServers,
            CorePlacement placement,
            Path model,
            Map<String, String> overrides,
            Path work) {

        /** Serve's settings for an application: its own topics, state directory and partitions. */
        Map<String, String> settings(String app, int partitions, Path stateDir) {
            Map<String, String> s =
                    new LinkedHashMap<>(own(bootstrapServers, app, partitions, stateDir));
            // The frames measured are the frames; the model registry is not part of the cost.
            s.put("models.follow", "false");
            // At 512 cameras and 20 frames/s a camera's frames are 25 s apart: without this the
            // canvas would be reset for the gap, and the runs would not segment alike.
            s.put(CanvasFlowConfig.CANVAS_MAX_GAP_MS, "0");
            // the child's working directory need not be the CanvasFlow home: name the model fully;
            // --model over a -D model.dir (the command refused two models, as serve does), and
            // the shipped one is the default
            Path shipped = DefaultModels.dir(DefaultModels.RNN);
            s.put(CanvasFlowConfig.MODEL_DIR, shipped.toAbsolutePath().toString());
            s.putAll(overrides);
            if (model != null) {
                s.put(CanvasFlowConfig.MODEL_DIR, model.toAbsolutePath().toString());
            }
            return s;
        }

        /** Starts serve for an application; waits until it is UP. */
        ServeProcess serve(Map<String, String> settings, String name) throws InterruptedException {
            ServeProcess serve =
                    ServeProcess.start(
                            placement.processorPrefix(),
                            List.of(
                                    "-Xmx1g",
                                    "-Dai.djl.pytorch.num_threads=1",
                                    "-Dai.djl.pytorch.num_interop_threads=1",
                                    // the benchmark's state directories are temporary on purpose
                                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams"
                                            + ".processor.internals.StateDirectory=error"),
                            settings,
                            freePort(),
                            work.resolve(name + ".log"));
            try {
                serve.awaitUp(Duration.ofMinutes(2));
                return serve;
            } catch (RuntimeException | InterruptedException e) {
                serve.close();
                throw e;
            }
        }
    }

    /**
     * The keys each serve of the benchmark sets for itself: its cluster, ids, topics, partitions
     * and state directory, which the benchmark's own publisher, mask reader, changelog reads and
     * clean-up rely on and a {@code -D} (passed last) would replace; and its HTTP port, which
     * {@link ServeProcess} passes as {@code --http-port}, which replaces a {@code -D}.
     */
    static final Set<String> RUN_SETTINGS = runSettings();

    private ScaleBenchmark() {}

    /**
     * A serve's cluster, ids, topics, partitions and state directory, which no other run shares.
     */
    private static Map<String, String> own(
            String bootstrapServers, String app, int partitions, Path stateDir) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        s.put(CanvasFlowConfig.APPLICATION_ID, app);
        s.put(CanvasFlowConfig.TOPIC_FRAMES, "frames-" + app);
        s.put(CanvasFlowConfig.TOPIC_MASKS, "masks-" + app);
        s.put(CanvasFlowConfig.TOPIC_DLQ, "frames-dlq-" + app);
        s.put(CanvasFlowConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
        s.put(CanvasFlowConfig.STATE_DIR, stateDir.toString());
        return s;
    }

    private static Set<String> runSettings() {
        Set<String> keys = new LinkedHashSet<>(own("broker", "app", 1, Path.of("state")).keySet());
        keys.add(CanvasFlowConfig.HTTP_PORT);
        return Collections.unmodifiableSet(keys);
    }

    /**
     * Runs one camera count.
     *
     * @param common the shared settings
     * @param cameras cameras
     * @param partitions partitions of the frames topic
     * @param rate total frames per second
     * @param seconds how long the measured load lasts
     * @param progress where to say what happens
     * @return the figures
     */
    static Run run(
            Common common,
            int cameras,
            int partitions,
            double rate,
            double seconds,
            PrintWriter progress)
            throws InterruptedException {
        String app = "canvasflow-scale-" + cameras + "-" + Long.toString(System.nanoTime(), 36);
        Map<String, String> settings =
                common.settings(app, partitions, common.work().resolve("state-" + app));
        CanvasFlowConfig config = CanvasFlowConfig.fromMap(settings);
        CanvasFlowApp.createTopics(config);
        List<String> ids = CameraIds.spread("cam-", cameras, partitions);
        List<MaskCollector.Received> masks = Collections.synchronizedList(new ArrayList<>());
        say(progress, "%d cameras on %d partitions: starting serve...%n", cameras, partitions);
        try (ServeProcess serve = common.serve(settings, app);
                MaskCollector collector =
                        new MaskCollector(
                                KafkaClients.consumer(config, "canvasflow-bench-scale-masks"),
                                config.masksTopic(),
                                config.dlqTopic(),
                                masks::add);
                PacedCameras sender =
                        new PacedCameras(common.bootstrapServers(), config.framesTopic(), 4, 100)) {
            // Warm-up: every camera's first frame (a zero canvas, six iterations) and the JIT.
            long warmUp = Math.max(cameras, (long) (rate * 5));
            say(progress, "  warm-up: %d frames at %.1f frames/s%n", warmUp, rate);
            sender.send(ids, warmUp, rate);
            awaitMasks(collector, masks, warmUp);
            long frames = measuredFrames(rate, seconds);
            say(progress, "  measuring: %d frames at %.1f frames/s%n", frames, rate);
            long cpu0 = serve.cpuMillis();
            Map<String, Double> stages0 = serve.stageTotals();
            long t0 = System.nanoTime();
            sender.send(ids, frames, rate);
            awaitMasks(collector, masks, warmUp + frames);
            long cpu1 = serve.cpuMillis();
            Map<String, Double> stages1 = serve.stageTotals();
            double span = (System.nanoTime() - t0) / 1e9;
            long rss = serve.rssBytes();
            List<MaskCollector.Received> measured;
            synchronized (masks) {
                measured = List.copyOf(masks.subList((int) warmUp, masks.size()));
            }
            Serializer<MaskEvent> maskSerializer = Topics.MASKS.valueSerde().serializer();
            double maskBytes = 0;
            List<Double> latency = new ArrayList<>();
            List<Double> model = new ArrayList<>();
            long seeded = 0;
            for (MaskCollector.Received r : measured) {
                latency.add(
                        (double) (r.receivedMs() - r.mask().getCaptureTimestamp().toEpochMilli()));
                model.add(r.mask().getModelMillis());
                seeded += r.mask().getSeeded() ? 1 : 0;
                maskBytes +=
                        maskSerializer.serialize(config.masksTopic(), r.mask()).length
                                / (double) measured.size();
            }
            Changelog changelog = Changelog.read(config, app);
            Run run =
                    new Run(
                            cameras,
                            partitions,
                            new Load(frames, rate, span, (double) seeded / measured.size()),
                            new Cost(
                                    (double) (cpu1 - cpu0) / frames,
                                    Stats.mean(model),
                                    (cpu1 - cpu0) / 1000.0 / span,
                                    Commits.between(stages0, stages1, span)),
                            new double[] {
                                Stats.percentile(latency, 50), Stats.percentile(latency, 99)
                            },
                            new Memory(rss, changelog.meanValueBytes(), changelog.sample()),
                            new Traffic(sender.meanFrameBytes(), maskBytes),
                            perFrameMs(stages0, stages1, frames));
            say(
                    progress,
                    "  %.2f CPU ms per frame, model %.1f ms, latency p50 %.0f / p99 %.0f ms,"
                            + " RSS %.0f MB%n",
                    run.cost().cpuMsPerFrame(),
                    run.cost().modelMs(),
                    run.latency()[0],
                    run.latency()[1],
                    rss / Stats.MB);
            return run;
        } finally {
            deleteTopics(config);
            deleteTree(common.work().resolve("state-" + app));
        }
    }

    /**
     * The frames a camera count's measured load sends: its rate for its seconds, whole frames.
     *
     * @param rate total frames per second
     * @param seconds how long
     * @return the frames
     */
    static long measuredFrames(double rate, double seconds) {
        return (long) (rate * seconds);
    }

    /**
     * The difference of two {@link ServeProcess#stageTotals} per frame, in milliseconds: each
     * stage, then {@code commit wait} and {@code poll wait} (blocked time outside the commit).
     */
    static Map<String, Double> perFrameMs(
            Map<String, Double> before, Map<String, Double> after, long frames) {
        Map<String, Double> ms = new LinkedHashMap<>();
        for (String stage : CanvasFlowMetrics.STAGES) {
            ms.put(stage, delta(before, after, stage) / 1e6 / frames);
        }
        double commit = delta(before, after, "commit") / 1e6 / frames;
        ms.put(StageTimes.COMMIT_WAIT, commit);
        ms.put(
                StageTimes.POLL_WAIT,
                Math.max(0, delta(before, after, "blocked") / 1e6 / frames - commit));
        return ms;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String k) {
        return after.getOrDefault(k, 0.0) - before.getOrDefault(k, 0.0);
    }

    /** Waits for masks; a run that stalls for two minutes is an error. */
    static void awaitMasks(MaskCollector collector, List<?> masks, long count)
            throws InterruptedException {
        if (!collector.await(() -> masks.size() >= count, Duration.ofMinutes(2))) {
            throw new IllegalStateException(
                    "only " + masks.size() + " of " + count + " masks arrived");
        }
    }

    /**
     * The canvas store's changelog as it is: the latest value of each camera.
     *
     * @param cameras cameras with a value
     * @param meanValueBytes their values' mean size
     * @param sample one value
     */
    record Changelog(int cameras, double meanValueBytes, byte[] sample) {

        static String topic(String app) {
            return StoreNames.changelog(app, StoreNames.CANVAS_STORE);
        }

        static Changelog read(CanvasFlowConfig config, String app) {
            Map<String, Integer> sizes = new HashMap<>();
            byte[] sample = null;
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(
                            KafkaClients.consumer(config, "canvasflow-bench-scale-changelog"),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                List<TopicPartition> partitions =
                        consumer.partitionsFor(topic(app), Duration.ofSeconds(30)).stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition()))
                                .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                        && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() != null) {
                            sizes.put(new String(r.key()), r.value().length);
                            sample = r.value();
                        }
                    }
                }
            }
            double mean = sizes.values().stream().mapToInt(Integer::intValue).average().orElse(0);
            return new Changelog(sizes.size(), mean, sample);
        }
    }

    /**
     * Deletes a run's topics, its application's internal topics and its consumer group, as replay
     * does: on a cluster of the user's ({@code --bootstrap-servers}) a run leaves nothing behind.
     */
    static void deleteTopics(CanvasFlowConfig config) {
        StreamsRun.deleteTopics(
                config, List.of(config.framesTopic(), config.masksTopic(), config.dlqTopic()));
    }

    static long treeBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    return 0;
                                }
                            })
                    .sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Deletes a directory tree, as the other tools do, with Kafka's own helper. */
    static void deleteTree(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void say(PrintWriter out, String format, Object... args) {
        if (out != null) {
            out.printf(Locale.ROOT, format, args);
            out.flush();
        }
    }
}
