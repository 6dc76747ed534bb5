package io.canvasflow.clients;

import static io.canvasflow.testsupport.CommandAssertions.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.clients.view.ViewCommand;
import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import io.canvasflow.testsupport.CommandRun;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Follows masks on a real broker: two cameras of six masks each, one skipped, and their frames. */
class MaskFollowerTest {

    private static final Topic<String, Frame> FRAMES = Topics.FRAMES.withName("frames-follow");
    private static final Topic<String, MaskEvent> MASKS = Topics.MASKS.withName("masks-follow");
    private static final Topic<String, Frame> FRAMES_LOST = Topics.FRAMES.withName("frames-lost");
    private static final Topic<String, MaskEvent> MASKS_LOST = Topics.MASKS.withName("masks-lost");
    private static final int[] PALETTE = {0xFF0000, 0x0000FF};
    private static final int WIDTH = 64;
    private static final int HEIGHT = 48;

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    @TempDir Path dir;

    @BeforeAll
    static void startBrokerAndWriteTheStreams() {
        kafka.createTopics(
                Map.of(
                        FRAMES.name(),
                        2,
                        MASKS.name(),
                        2,
                        "masks-live",
                        1,
                        FRAMES_LOST.name(),
                        1,
                        MASKS_LOST.name(),
                        1));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // First, a record that is not a mask event: logged, counted and skipped.
            send(producer, MASKS, "a", new byte[] {1, 2, 3});
            for (String camera : List.of("a", "b")) {
                for (int s = 0; s < 6; s++) {
                    send(
                            producer,
                            MASKS,
                            camera,
                            MASKS.valueSerde()
                                    .serializer()
                                    .serialize(MASKS.name(), mask(camera, s)));
                    send(
                            producer,
                            FRAMES,
                            camera,
                            FRAMES.valueSerde()
                                    .serializer()
                                    .serialize(FRAMES.name(), frame(camera, s)));
                }
            }
            // Camera "lost" has masks whose frames are not in the frames topic.
            for (int s = 0; s < 6; s++) {
                for (String camera : List.of("a", "lost")) {
                    send(
                            producer,
                            MASKS_LOST,
                            camera,
                            MASKS_LOST
                                    .valueSerde()
                                    .serializer()
                                    .serialize(MASKS_LOST.name(), mask(camera, s)));
                }
                send(
                        producer,
                        FRAMES_LOST,
                        "a",
                        FRAMES_LOST
                                .valueSerde()
                                .serializer()
                                .serialize(FRAMES_LOST.name(), frame("a", s)));
            }
            producer.flush();
        }
    }

    @Test
    void shouldKeepPerCameraStatisticsAndDrawOverlaysWithVideos() throws Exception {
        // Given
        StringWriter table = new StringWriter();
        FollowResult result;

        // When
        try (OverlayWriter overlays = new OverlayWriter(dir, 2, 10, new OverlayRenderer())) {
            result =
                    MaskFollower.builder()
                            .setBootstrapServers(kafka.bootstrapServers())
                            .optMasksTopic(MASKS)
                            .optFramesTopic(FRAMES)
                            .optFromBeginning(true)
                            .optMaxFrames(12)
                            .optDuration(Duration.ofSeconds(60))
                            .optOverlays(overlays)
                            .optTable(new PrintWriter(table), false)
                            .build()
                            .run();
        }

        // Then: per camera 6 masks, 1 skipped, the first a reset, 4 seeded; latencies 10, 11, 12,
        // 14, 15 ms
        assertEquals(12, result.masks());
        assertEquals(1, result.badRecords());
        assertEquals(10, result.overlays());
        for (String camera : List.of("a", "b")) {
            CameraSummary summary = result.cameras().get(camera);
            assertEquals(
                    new CameraSummary(
                            camera,
                            6,
                            1,
                            summary.fps(),
                            12,
                            15,
                            new CameraSummary.Segmentation(
                                    2.8,
                                    4,
                                    Map.of(ResetReason.FIRST_FRAME, 1L),
                                    20.0,
                                    List.of("1"),
                                    ResetReason.FIRST_FRAME),
                            5),
                    summary);
        }
        assertTrue(table.toString().contains("first_frame=1"), table.toString());

        // every other overlay as a frame-sized PNG that blends the frame with the class colour
        List<Path> pngs;
        try (Stream<Path> files = Files.walk(dir)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(
                List.of(
                        dir.resolve("a/a-0000000001000-00000000.png"),
                        dir.resolve("a/a-0000000001200-00000002.png"),
                        dir.resolve("a/a-0000000001500-00000005.png"),
                        dir.resolve("b/b-0000000001000-00000000.png"),
                        dir.resolve("b/b-0000000001200-00000002.png"),
                        dir.resolve("b/b-0000000001500-00000005.png")),
                pngs);
        BufferedImage overlay = ImageCodecs.decode(Files.readAllBytes(pngs.get(1)));
        assertEquals(WIDTH, overlay.getWidth());
        int blue = overlay.getRGB(WIDTH - 4, HEIGHT - 4) & 0xFF;
        assertTrue(blue > 100 && blue < 200, "frame grey blended with blue: " + blue);

        // and one playable MP4 per camera with every overlay
        assertEquals(
                Map.of(
                        "a", new CameraVideos(dir.resolve("a.mp4"), 1),
                        "b", new CameraVideos(dir.resolve("b.mp4"), 1)),
                result.videos());
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(dir.resolve("b.mp4").toFile())) {
            grabber.start();
            int frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            assertEquals(5, frames);
        }
    }

    @Test
    void shouldReadAllMasksInAConsumerGroup() {
        FollowResult result =
                MaskFollower.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optMasksTopic(MASKS)
                        .optGroupId("follower-test")
                        .optFromBeginning(true)
                        .optMaxFrames(12)
                        .optDuration(Duration.ofSeconds(60))
                        .build()
                        .run();

        assertEquals(12, result.masks());
        assertEquals(0, result.frames(), "no overlays, so no frames read");
        assertEquals(List.of("a", "b"), result.cameras().keySet().stream().sorted().toList());
    }

    @Test
    void shouldFollowNewMasksAsTheyArrive() throws Exception {
        // Given a follower of new masks only, on a topic that already holds an old one
        Topic<String, MaskEvent> live = Topics.MASKS.withName("masks-live");
        List<Long> seen = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(
                    producer,
                    live,
                    "old",
                    live.valueSerde().serializer().serialize(live.name(), mask("old", 0)));
            producer.flush();
            MaskFollower follower =
                    MaskFollower.builder()
                            .setBootstrapServers(kafka.bootstrapServers())
                            .optMasksTopic(live)
                            .optMaxFrames(3)
                            .optDuration(Duration.ofSeconds(60))
                            .optListener(mask -> seen.add(mask.getSequence()))
                            .build();
            CompletableFuture<FollowResult> running = CompletableFuture.supplyAsync(follower::run);

            // When masks keep arriving
            for (int s = 0; !running.isDone() && s < 300; s++) {
                send(
                        producer,
                        live,
                        "new",
                        live.valueSerde().serializer().serialize(live.name(), mask("new", s)));
                producer.flush();
                Thread.sleep(100);
            }

            // Then it sees three consecutive new ones, and not the old one
            FollowResult result = running.get(30, TimeUnit.SECONDS);
            assertEquals(List.of("new"), List.copyOf(result.cameras().keySet()));
            assertEquals(3, seen.size());
            assertEquals(List.of(seen.get(0), seen.get(0) + 1, seen.get(0) + 2), seen);
        }
    }

    @Test
    void shouldPrintALogLineAboveTheLiveTableNotThroughIt() throws Exception {
        // Given a follower that redraws its table in place every 50 ms on a terminal that is also
        // standard error, and a first mask on its topic
        Topic<String, MaskEvent> topic = Topics.MASKS.withName("masks-terminal");
        kafka.createTopics(Map.of(topic.name(), 1));
        TerminalScreen terminal = new TerminalScreen();
        PrintStream testErr = System.err;
        System.setErr(terminal.err());
        FollowResult result;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            sendMask(producer, topic, 0);
            MaskFollower follower =
                    MaskFollower.builder()
                            .setBootstrapServers(kafka.bootstrapServers())
                            .optMasksTopic(topic)
                            .optFromBeginning(true)
                            .optMaxFrames(4)
                            .optDuration(Duration.ofSeconds(60))
                            .optTable(terminal.out(), true)
                            .optTableInterval(Duration.ofMillis(50))
                            .build();
            CompletableFuture<FollowResult> running = CompletableFuture.supplyAsync(follower::run);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!terminal.raw().contains(StatsTable.header()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(terminal.raw().contains(StatsTable.header()), "no table drawn in 30 s");

            // When, while the table is on the screen, a record that is not a mask event makes it
            // log a warning, and three more masks come
            send(producer, topic, "a", new byte[] {1, 2, 3});
            producer.flush();
            Thread.sleep(300);
            for (int s = 1; s < 4; s++) {
                sendMask(producer, topic, s);
            }
            result = running.get(60, TimeUnit.SECONDS);
            assertSame(terminal.err(), System.err, "standard error restored");
        } finally {
            System.setErr(testErr);
        }

        // Then the warning stands intact above the table, and the table is there once, complete,
        // with every mask
        assertEquals(4, result.masks());
        List<String> screen = terminal.lines();
        assertTrue(screen.size() >= 3, terminal.raw());
        List<String> above = screen.subList(0, screen.size() - 2);
        assertTrue(
                above.stream()
                        .anyMatch(
                                line ->
                                        line.contains(
                                                "WARN io.canvasflow.clients.MaskFollower -"
                                                        + " skipping a bad record at"
                                                        + " masks-terminal-0@1 (1 bad so far)")),
                String.join("\n", screen));
        assertFalse(above.stream().anyMatch(line -> line.startsWith("camera ")), terminal.raw());
        assertEquals(StatsTable.header(), screen.get(screen.size() - 2));
        assertEquals(
                List.of("a", "4"),
                List.of(screen.get(screen.size() - 1).split(" +")).subList(0, 2),
                screen.get(screen.size() - 1));
    }

    private static void sendMask(
            KafkaProducer<String, byte[]> producer, Topic<String, MaskEvent> topic, long s) {
        send(
                producer,
                topic,
                "a",
                topic.valueSerde().serializer().serialize(topic.name(), mask("a", s)));
        producer.flush();
    }

    @Test
    void shouldStopWhenAskedFromAnotherThread() throws Exception {
        MaskFollower follower =
                MaskFollower.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optMasksTopic(MASKS)
                        .build();
        CompletableFuture<FollowResult> running = CompletableFuture.supplyAsync(follower::run);
        Thread.sleep(500);

        follower.stop();

        assertEquals(0, running.get(30, TimeUnit.SECONDS).masks());
    }

    @Test
    void shouldFollowFromTheCommandLine() {
        CommandRun run = masksOfAll("--frames-topic", FRAMES.name());

        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("12 masks from 2 cameras"), run.out());
        assertTrue(Files.isRegularFile(dir.resolve("a.mp4")));
    }

    @Test
    void shouldSayPerCameraHowManyOverlaysHadNoFrame() {
        // Given camera "a" with its frames and camera "lost" whose frames are not there
        // When masks draws their overlays
        CommandRun run =
                masksOfAll(
                        "--masks-topic", MASKS_LOST.name(), "--frames-topic", FRAMES_LOST.name());

        // Then the summary names the camera whose 5 overlays (one of its 6 masks is a skipped
        // frame's) were drawn without the picture, and says why; a larger join buffer would not
        // help, so it does not advise one
        assertEquals(0, run.exit(), run.err());
        assertTrue(
                run.out()
                        .contains(
                                "  camera lost: 5 overlays without their frame; 5 frames did not"
                                        + " come (the publisher restarted, sent them before this"
                                        + " command began, or had not sent them when it"
                                        + " stopped)\n"),
                run.out());
        assertFalse(run.out().contains("--join-frames"), run.out());
        assertFalse(run.out().contains("camera a:"), run.out());
        // and said it once while it ran
        assertEquals(
                1,
                run.err().split("camera lost: a mask whose frame will not come", -1).length - 1,
                run.err());
    }

    @Test
    void shouldFollowTheTopicsOfServesSettingsFile(@TempDir Path files) throws Exception {
        // Given serve's settings file naming its masks and frames topics
        Path file =
                Files.writeString(
                        files.resolve("serve.properties"),
                        "topic.masks="
                                + MASKS_LOST.name()
                                + "\ntopic.frames="
                                + FRAMES_LOST.name()
                                + "\n");

        // When masks takes it as its --command-config, with neither topic flag
        CommandRun run =
                CommandRun.of(
                        new MasksCommand(),
                        overWholeTopic(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--command-config",
                                file.toString()));

        // Then it follows those topics (camera "lost" is theirs), and says so once
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("12 masks from 2 cameras"), run.out());
        assertTrue(run.out().contains("  camera lost: 5 overlays without their frame"), run.out());
        assertEquals(
                List.of(
                        "INFO io.canvasflow.clients.MasksCommand - following masks topic"
                                + " masks-lost (topic.masks in "
                                + file
                                + ") and frames topic frames-lost (topic.frames in "
                                + file
                                + ")"),
                run.errLines().stream()
                        .filter(l -> l.contains("following masks topic"))
                        .map(l -> l.substring(l.indexOf("INFO")))
                        .toList());
    }

    @Test
    void shouldViewTheTopicsOfServesSettingsFileAndSayWhereTheyCameFrom(@TempDir Path files)
            throws Exception {
        // Given serve's settings file naming its masks and frames topics
        Path file =
                Files.writeString(
                        files.resolve("serve.properties"),
                        "topic.masks=" + MASKS.name() + "\ntopic.frames=" + FRAMES.name() + "\n");

        // When view takes it as its --command-config, with neither topic flag, for a second
        CommandRun run =
                CommandRun.of(
                        new ViewCommand(),
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--command-config",
                        file.toString(),
                        "--port",
                        "0",
                        "--duration",
                        "1s");

        // Then it serves those topics, and its start line says where their names came from
        assertEquals(0, run.exit(), run.err());
        assertEquals(
                List.of(
                        " (masks masks-follow (topic.masks in "
                                + file
                                + "), frames frames-follow (topic.frames in "
                                + file
                                + ") at "
                                + kafka.bootstrapServers()
                                + "; Ctrl-C to stop)"),
                run.out()
                        .lines()
                        .filter(l -> l.startsWith("Live view at "))
                        .map(l -> l.substring(l.indexOf(' ', "Live view at ".length())))
                        .toList());
    }

    @Test
    void shouldFollowTheMasksTopicFlagOverServesSettingsFile(@TempDir Path files) throws Exception {
        // Given serve's settings file naming another masks topic
        Path file =
                Files.writeString(
                        files.resolve("serve.properties"), "topic.masks=" + MASKS_LOST.name());

        // When masks is given it and --masks-topic
        CommandRun run =
                masks(
                        "--command-config",
                        file.toString(),
                        "--from-beginning",
                        "--max-frames",
                        "12",
                        "--duration",
                        "60s");

        // Then the flag's topic is followed: its cameras, not the file's topic's
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("12 masks from 2 cameras"), run.out());
        assertFalse(run.out().contains("lost"), run.out());
        assertFalse(run.err().contains("following masks topic"), run.err());
    }

    @Test
    void shouldWaitForAMasksTopicThatDoesNotExistYetWithoutFailing() {
        // Given a cluster that answers, without the masks topic followed
        MaskFollower follower =
                MaskFollower.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optMasksTopic(Topics.MASKS.withName("masks-not-yet"))
                        .optDuration(Duration.ofSeconds(2))
                        .build();

        // When it is followed for its duration
        FollowResult result = follower.run();

        // Then it ends with nothing seen, not with the failure of a cluster that does not answer
        assertEquals(List.of(0L, Map.of()), List.of(result.masks(), result.cameras()));
    }

    @Test
    void shouldRefuseAJoinBufferOfNoFrames() {
        CommandRun run = masks("--out", dir.toString(), "--join-frames", "0");

        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().startsWith("--join-frames must be >= 1"), run.err());
    }

    @Test
    void shouldRefuseAJoinMemoryThatIsNotASizeOrTooSmall() {
        // Given a join budget that is not a size, and one under a mebibyte
        CommandRun words = masks("--out", dir.toString(), "--join-memory", "lots");
        CommandRun tiny = masks("--out", dir.toString(), "--join-memory", "512k");

        // Then each is refused in one sentence that says what to give
        assertEquals(List.of(2, 2), List.of(words.exit(), tiny.exit()), words.err() + tiny.err());
        assertTrue(
                words.err()
                        .startsWith(
                                "--join-memory expects a size such as 512m or 2g (k, m, g: KiB,"
                                        + " MiB, GiB), not 'lots'"),
                words.err());
        assertTrue(tiny.err().startsWith("--join-memory must be from 1m to "), tiny.err());
    }

    @Test
    void shouldRefuseAFileForOverlaysAndABlankGroupBeforeReading(@TempDir Path files)
            throws Exception {
        Path file = Files.writeString(files.resolve("a-file"), "x");

        CommandRun out = masks("--duration", "10s", "--out", file.toString());
        assertRefused(out, "'--out': " + file + " is a file; give a folder to write");

        CommandRun group = masks("--duration", "10s", "--group", " ");
        assertEquals(2, group.exit(), group.err());
        assertTrue(group.err().startsWith("--group must name a consumer group"), group.err());
    }

    @Test
    void shouldRefuseADurationOfZeroWhereItIsParsed() {
        // --duration is declared once, in FollowOptions, for masks and view alike
        CommandRun run = masks("--duration", "0s");

        assertRefused(run, "expected a duration longer than zero but found '0s'");
    }

    @Test
    void shouldRefuseAConsumerPropertyKafkaRefusesBeforeWritingOrServing() {
        // Given properties only a consumer has, with values Kafka refuses (the preflight's admin
        // client does not take them, so it passes)
        Path out = dir.resolve("overlays");

        // When masks --out and view follow with one
        CommandRun masks =
                masks(
                        "--duration",
                        "10s",
                        "--out",
                        out.toString(),
                        "--consumer-property",
                        "max.poll.records=0");
        CommandRun view =
                CommandRun.of(
                        new ViewCommand(),
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--port",
                        "0",
                        "--masks-topic",
                        MASKS.name(),
                        "--frames-topic",
                        FRAMES.name(),
                        "--duration",
                        "10s",
                        "--consumer-property",
                        "fetch.max.bytes=abc");

        // Then each says what Kafka refused in one sentence (masks as a usage error, its usage
        // after it), before it made the output folder or said the page was live
        String refused = "the Kafka client settings for " + kafka.bootstrapServers();
        assertEquals(2, masks.exit(), masks.err());
        assertTrue(
                masks.err()
                        .startsWith(
                                refused
                                        + " make no client: Invalid value 0 for configuration"
                                        + " max.poll.records"),
                masks.err());
        assertFalse(Files.exists(out), "masks left " + out + " behind");
        assertEquals(2, view.exit(), view.err());
        assertEquals("", view.out());
        assertEquals(1, view.errLines().size(), view.err());
        assertTrue(
                view.err()
                        .startsWith(
                                "canvasflow view: "
                                        + refused
                                        + " make no client: Invalid value abc for configuration"
                                        + " fetch.max.bytes"),
                view.err());
    }

    /** {@link #masks} over the whole topic: 12 masks within a minute into the test folder. */
    private CommandRun masksOfAll(String... topics) {
        return masks(overWholeTopic(topics));
    }

    /** Options, then those that take the whole topic: 12 masks within a minute into the folder. */
    private String[] overWholeTopic(String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(
                List.of(
                        "--from-beginning",
                        "--max-frames",
                        "12",
                        "--duration",
                        "60s",
                        "--out",
                        dir.toString(),
                        "--png-every",
                        "0"));
        return args.toArray(String[]::new);
    }

    /** The masks command on the test broker (its masks topic unless given), with more options. */
    private CommandRun masks(String... more) {
        List<String> args =
                new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers()));
        if (!List.of(more).contains("--masks-topic")) {
            args.addAll(List.of("--masks-topic", MASKS.name()));
        }
        args.addAll(List.of(more));
        return CommandRun.of(new MasksCommand(), args.toArray(String[]::new));
    }

    /**
     * Sequence 0 is a FIRST_FRAME reset with 6 iterations, 3 is skipped, the rest are seeded with
     * 2.
     */
    static MaskEvent mask(String camera, long sequence) {
        boolean first = sequence == 0;
        boolean skipped = sequence == 3;
        byte[] indices = new byte[WIDTH * HEIGHT];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (byte) (i % WIDTH < WIDTH / 2 ? 0 : 1);
        }
        return MaskEvent.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(1_000 + sequence * 100))
                .setProcessedTimestamp(Instant.ofEpochMilli(1_010 + sequence * 101))
                .setMaskWidth(WIDTH)
                .setMaskHeight(HEIGHT)
                .setClassMap(
                        ByteBuffer.wrap(
                                skipped
                                        ? new byte[0]
                                        : ImageCodecs.indexedLabelPng(
                                                indices, WIDTH, HEIGHT, PALETTE)))
                .setClassFractions(skipped ? List.of() : List.of(0.5f, 0.5f))
                .setClassNames(List.of("road", "sky"))
                .setIterations(skipped ? 0 : first ? 6 : 2)
                .setSeeded(!first && !skipped)
                .setResetReason(first ? ResetReason.FIRST_FRAME : null)
                .setSkipped(skipped)
                .setModelId("test")
                .setModelVersion("1")
                .setModelMillis(skipped ? 0 : 20.0)
                .setEndToEndLatencyMillis(10 + sequence)
                .build();
    }

    static Frame frame(String camera, long sequence) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(1_000 + sequence * 100))
                .setWidth(WIDTH)
                .setHeight(HEIGHT)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(
                        ByteBuffer.wrap(
                                ImageCodecs.jpeg(
                                        OverlayRendererTest.solid(WIDTH, HEIGHT, 0x646464), 0.9f)))
                .setMetadata(Map.of())
                .build();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(
            KafkaProducer<String, byte[]> producer,
            Topic<String, ?> topic,
            String key,
            byte[] value) {
        producer.send(new ProducerRecord<>(topic.name(), key, value));
    }
}
