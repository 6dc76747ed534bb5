package io.canvasflow.topology.reliability;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.model.Architecture;
import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.TestModels;
import io.canvasflow.schemas.AvroSerdes;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.testsupport.Frames;
import io.canvasflow.testsupport.TestImages;
import io.canvasflow.topology.CanvasFlowApp;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.ModelSource;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the reliability tests share: a tiny recurrent model, small JPEG frames, the settings of an
 * instance under test, and helpers to produce and to wait.
 *
 * <p>The tests run a tiny randomly initialised model (64x48 input, a few thousand parameters)
 * rather than the trained default: they are about state, offsets and transactions, not about masks,
 * and a few thousand frames of the default model would take minutes on two cores. Scene-cut
 * detection is turned off because a random network's seeded mask may legitimately differ from the
 * previous one; every other canvas rule is the default.
 */
final class Fixtures {

    static byte[] encode(BufferedImage image, String format) {
        return TestImages.encode(image, format);
    }

    static byte[] pngClaiming(int width, int height) {
        return TestImages.pngClaiming(width, height);
    }

    static final int W = 64;
    static final int H = 48;

    /**
     * Capture time of sequence 0. Near the wall clock: the broker's 7-day retention would delete
     * records stamped months ago while a test runs.
     */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** Milliseconds between frames of a camera: 25 frames per second. */
    static final long FRAME_MS = Frames.FRAME_MS_25_FPS;

    private static final Map<Long, byte[]> JPEGS = new ConcurrentHashMap<>();
    private static Path modelDir;
    private static ModelSource model;

    private Fixtures() {}

    /** The tiny model's directory, generated once per JVM and deleted when it exits. */
    static synchronized Path modelDir() {
        if (modelDir == null) {
            try {
                Path dir = Files.createTempDirectory("canvasflow-reliability-model-");
                saveTinyModel(dir, Architecture.tiny());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
                modelDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return modelDir;
    }

    /** The tiny model, loaded once for every in-process instance of this JVM; never closed. */
    static synchronized ModelSource model() {
        if (model == null) {
            model = ModelSource.load(modelDir(), DeviceChoice.CPU);
        }
        return model;
    }

    /** Saves a randomly initialised recurrent model of an architecture with a 64x48 input. */
    static ModelSpec saveTinyModel(Path dir, Architecture architecture) throws IOException {
        ModelSpec spec = TestModels.spec(ModelType.RECURRENT, architecture, W, H);
        try (SegmentationModel m = SegmentationModel.initialize(spec, DeviceChoice.CPU)) {
            return m.save(dir);
        }
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory; the OS cleans it up eventually
        }
    }

    /**
     * Camera ids that the default partitioner spreads evenly: {@code perPartition} cameras on each
     * of {@code partitions} partitions, in partition order.
     */
    static List<String> cameras(int partitions, int perPartition) {
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (int i = 0;
                byPartition.values().stream().mapToInt(List::size).sum()
                        < partitions * perPartition;
                i++) {
            String camera = "cam-" + i;
            List<String> mine =
                    byPartition.computeIfAbsent(
                            partitionOf(camera, partitions), p -> new ArrayList<>());
            if (mine.size() < perPartition) {
                mine.add(camera);
            }
        }
        return byPartition.values().stream().flatMap(List::stream).toList();
    }

    /** The partition the default partitioner gives a key. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** A JPEG frame of a street at capture time {@code T0 + sequence * FRAME_MS}. */
    static Frame frame(String camera, long sequence) {
        // The pedestrian walks two pixels per frame, so the scene repeats every W / 2 frames.
        byte[] jpeg = JPEGS.computeIfAbsent(sequence % (W / 2), s -> encode(street(s), "jpg"));
        return frame(camera, sequence, W, H, ImageEncoding.JPEG, jpeg);
    }

    static Frame frame(
            String camera,
            long sequence,
            int width,
            int height,
            ImageEncoding encoding,
            byte[] image) {
        return Frames.at25Fps(camera, sequence, T0, width, height, encoding, image);
    }

    /** Sky, road and a red pedestrian at {@code x = 2 * step}. */
    static BufferedImage street(long step) {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color(0x87ceeb));
            g.fillRect(0, 0, W, H / 2);
            g.setColor(new Color(0x505050));
            g.fillRect(0, H / 2, W, H / 2);
            g.setColor(new Color(0xc0392b));
            g.fillRect((int) (2 * step) % W, H * 2 / 5, 5, H / 3);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** A real JPEG's header, up to its start-of-scan segment, then random entropy data. */
    static byte[] jpegHeaderWithGarbageBody() {
        return TestImages.jpegHeaderWithGarbageBody(encode(street(0), "jpg"));
    }

    /**
     * What the cameras of a reliability test publish.
     *
     * @param partitions partitions of the frames topic
     * @param cameras camera ids, spread evenly over the partitions
     * @param frames frames per camera
     * @param period time between a camera's frames
     * @param lead how many frames a camera may publish ahead of its masks
     */
    record Workload(int partitions, List<String> cameras, int frames, Duration period, int lead) {

        /** Frames of all cameras together. */
        int total() {
            return cameras.size() * frames;
        }
    }

    /** Eight live cameras, two per partition, 150 frames each at 25 frames/s, 40 frames ahead. */
    static final Workload EIGHT_LIVE_CAMERAS =
            new Workload(4, cameras(4, 2), 150, Duration.ofMillis(40), 40);

    /**
     * The settings of an instance under test: exactly-once, scene cuts off, a 6 s session timeout
     * (the broker's minimum) so that a killed member leaves the group in seconds rather than 45,
     * and fast standby and rebalance probing.
     */
    static Map<String, String> settings(String bootstrap, String applicationId, Path stateDir) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(CanvasFlowConfig.BOOTSTRAP_SERVERS, bootstrap);
        s.put(CanvasFlowConfig.APPLICATION_ID, applicationId);
        s.put(CanvasFlowConfig.STATE_DIR, stateDir.toString());
        s.put(CanvasFlowConfig.HTTP_PORT, "0");
        s.put(CanvasFlowConfig.PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2);
        s.put(CanvasFlowConfig.CANVAS_SCENE_CUT_FRACTION, "1");
        s.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "6000");
        s.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), "500");
        return s;
    }

    static CanvasFlowConfig config(Map<String, String> settings) {
        return CanvasFlowConfig.fromMap(settings);
    }

    /**
     * A broker for tests that kill serve: it aborts a killed instance's open transaction soon after
     * it times out (every second, not Kafka's 10 s), so that the restart is not kept waiting.
     */
    static EmbeddedKafkaBroker.Builder crashBroker() {
        return EmbeddedKafkaBroker.builder()
                .optConfig("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    }

    /** Creates the frames, masks and dead-letter topics as {@code serve --create-topics} does. */
    static void createTopics(EmbeddedKafkaBroker kafka, int partitions) {
        CanvasFlowApp.createTopics(
                config(settings(kafka.bootstrapServers(), "topics", Path.of("unused")))
                        .with(CanvasFlowConfig.TOPIC_PARTITIONS, Integer.toString(partitions)));
    }

    /** An idempotent producer of raw records. */
    static KafkaProducer<String, byte[]> producer(EmbeddedKafkaBroker kafka) {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** A frame record keyed by its camera, timestamped with its capture time. */
    static ProducerRecord<String, byte[]> record(String topic, Frame frame) {
        return new ProducerRecord<>(
                topic,
                null,
                frame.getCaptureTimestamp().toEpochMilli(),
                frame.getCameraId(),
                AvroSerdes.frame().serialize(frame));
    }

    /** Publishes sequences {@code from..to} of every camera, interleaved, and flushes. */
    static void publish(
            KafkaProducer<String, byte[]> producer, List<String> cameras, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            for (String camera : cameras) {
                producer.send(record(Topics.FRAMES.name(), frame(camera, seq)));
            }
        }
        producer.flush();
    }

    /** Each camera's mask sequences, in the order they were read. */
    static Map<String, List<Long>> sequences(List<MaskEvent> masks) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (MaskEvent m : masks) {
            out.computeIfAbsent(m.getCameraId(), c -> new ArrayList<>()).add(m.getSequence());
        }
        return out;
    }

    /** Every camera with sequences {@code 1..frames}. */
    static Map<String, List<Long>> everyFrame(List<String> cameras, long frames) {
        Map<String, List<Long>> out = new TreeMap<>();
        List<Long> all = LongStream.rangeClosed(1, frames).boxed().toList();
        cameras.forEach(c -> out.put(c, all));
        return out;
    }

    /**
     * How each camera's frame of this number was segmented, by camera: after a restart, the first
     * frame is seeded from the restored (or kept) canvas when every camera reads "#N seeded".
     */
    static Map<String, String> howEach(List<MaskEvent> masks, long sequence) {
        Map<String, String> out = new TreeMap<>();
        masks.stream()
                .filter(m -> m.getSequence() == sequence)
                .forEach(m -> out.put(m.getCameraId(), how(m)));
        return out;
    }

    /** What {@link #howEach} gives when every camera's frame was seeded. */
    static Map<String, String> seeded(List<String> cameras, long sequence) {
        Map<String, String> out = new TreeMap<>();
        cameras.forEach(c -> out.put(c, "#" + sequence + " seeded"));
        return out;
    }

    /**
     * How a mask was segmented, in a few words: {@code "#1 reset FIRST_FRAME"}, {@code "#7
     * seeded"}.
     */
    static String how(MaskEvent m) {
        return "#"
                + m.getSequence()
                + (m.getSeeded() ? " seeded" : " reset " + m.getResetReason())
                + (m.getSkipped() ? " skipped" : "");
    }

    /**
     * The masks that did not come out as a steady stream should: each camera's first frame reset
     * with FIRST_FRAME and every later one seeded. Empty when all did.
     */
    static List<String> unexpectedResets(List<MaskEvent> masks) {
        List<String> out = new ArrayList<>();
        for (MaskEvent m : masks) {
            boolean ok =
                    m.getSequence() == 1
                            ? !m.getSeeded()
                                    && m.getResetReason()
                                            == io.canvasflow.schemas.avro.ResetReason.FIRST_FRAME
                            : m.getSeeded() && m.getResetReason() == null;
            if (!ok) {
                out.add(m.getCameraId() + " " + how(m));
            }
        }
        return out;
    }

    /**
     * Prints a measured figure and writes it to {@code target/reliability/<name>.txt}, where a
     * report can quote it from.
     */
    static void report(String name, String line) {
        System.out.println(line);
        try {
            Path file = Path.of("target", "reliability", name + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code count} masks have been recorded, some of every camera. */
    static void awaitMasksOfEveryCamera(
            TopicRecorder<MaskEvent> masks, int count, List<String> cameras, Duration timeout)
            throws InterruptedException {
        await(
                count + " masks, some of every camera",
                timeout,
                () -> masks.size() >= count && sequences(masks.values()).size() == cameras.size());
    }

    /** Waits until a condition holds, failing with what was awaited after a deadline. */
    static void await(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        await(what, timeout, condition, () -> "");
    }

    static void await(
            String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after "
                                + timeout.toSeconds()
                                + " s waiting until "
                                + what
                                + detail.get());
            }
            Thread.sleep(50);
        }
    }

    /** Whether an in-process instance is running and owns at least one active task. */
    static boolean hasActiveTasks(CanvasFlowApp app) {
        return app.streams().state() == KafkaStreams.State.RUNNING
                && app.streams().metadataForLocalThreads().stream()
                        .anyMatch(t -> !t.activeTasks().isEmpty());
    }
}
