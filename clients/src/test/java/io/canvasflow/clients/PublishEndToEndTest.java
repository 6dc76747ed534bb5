package io.canvasflow.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.Frames;
import io.canvasflow.testsupport.TopicReader;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Publishes to a real broker and reads the records back. */
class PublishEndToEndTest {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.builder().build().start();
        kafka.createTopics(
                Map.of(
                        "frames-publisher",
                        1,
                        "frames-job",
                        2,
                        "frames-cli",
                        1,
                        "frames-fit",
                        1,
                        "frames-big",
                        1,
                        "frames-live-rate",
                        1,
                        "frames-from-file",
                        1,
                        "frames-flag",
                        1));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldPublishFramesThatReadBackAsWholeRecords() throws Exception {
        // Given a frame with ground truth and metadata, and the record it should become
        Topic<String, Frame> topic = Topics.FRAMES.withName("frames-publisher");
        BufferedImage image = ImageCodecsTest.noise(64, 48, 7);
        byte[] truth = ImageCodecs.grayLabelPng(ImageCodecsTest.randomLabels(64, 48, 6, 8), 64, 48);
        Instant capture = Instant.parse("2024-05-01T12:00:00.123456Z");
        Frame expected =
                Frame.newBuilder()
                        .setCameraId("cam-1")
                        .setSequence(41)
                        .setCaptureTimestamp(Instant.parse("2024-05-01T12:00:00.123Z"))
                        .setWidth(64)
                        .setHeight(48)
                        .setEncoding(ImageEncoding.JPEG)
                        .setImage(ByteBuffer.wrap(ImageCodecs.jpeg(image, 0.7f)))
                        .setGroundTruth(ByteBuffer.wrap(truth))
                        .setMetadata(Map.of("site", "lobby"))
                        .build();

        // When
        try (FramePublisher publisher =
                FramePublisher.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optTopic(topic)
                        .optJpegQuality(0.7f)
                        .build()) {
            publisher.publish("cam-1", 41, capture, image, truth, Map.of("site", "lobby")).get();
        }

        // Then
        List<ConsumerRecord<String, Frame>> records = consume(topic, 1);
        assertEquals("cam-1", records.get(0).key());
        assertEquals(expected, records.get(0).value());
    }

    @Test
    void shouldScaleFramesAndTheirGroundTruthTogether() throws Exception {
        Topic<String, Frame> topic = Topics.FRAMES.withName("frames-publisher");
        byte[] labels = {0, 1, 2, 3};
        byte[] truth = ImageCodecs.indexedLabelPng(labels, 2, 2, new int[] {1, 2, 3, 4});

        try (FramePublisher publisher = publisher(topic, b -> b.optResize(4, 4))) {
            Frame frame =
                    publisher.encode(
                            "cam-2",
                            0,
                            Instant.EPOCH,
                            ImageCodecsTest.noise(2, 2, 1),
                            truth,
                            Map.of());

            assertEquals(4, frame.getWidth());
            assertEquals(4, ImageCodecs.decode(ImageCodecs.bytes(frame.getImage())).getHeight());
            ClassMap scaled = ImageCodecs.classMap(ImageCodecs.bytes(frame.getGroundTruth()));
            assertEquals(
                    new ClassMap(
                            4,
                            4,
                            new byte[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3},
                            new int[] {1, 2, 3, 4}),
                    scaled);
        }
    }

    @Test
    void shouldPublishEverySyntheticCameraFrameWithItsGroundTruth() throws Exception {
        // Given two synthetic cameras of three frames each
        Topic<String, Frame> topic = Topics.FRAMES.withName("frames-job");
        Instant before = Instant.now().minusMillis(1);
        StringWriter progress = new StringWriter();

        // When
        PublishResult result;
        try (FramePublisher publisher =
                FramePublisher.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optTopic(topic)
                        .build()) {
            result =
                    PublishJob.builder()
                            .setPublisher(publisher)
                            .addCamera("north", new SyntheticCameraSource(0, 3, 64, 48))
                            .addCamera("south", new SyntheticCameraSource(1, 5, 64, 48))
                            .optRate(FrameRate.max())
                            .optLimit(3)
                            .optFirstSequence(100)
                            .optProgress(new PrintWriter(progress))
                            .build()
                            .run();
        }

        // Then: three acknowledged frames per camera, reading back as the sources' frames
        assertEquals(List.of("north", "south"), List.copyOf(result.cameras().keySet()));
        assertEquals(
                new PublishResult.CameraResult(
                        "north", 3, 0, 0, result.cameras().get("north").seconds(), null),
                result.cameras().get("north"));
        assertEquals(6, result.totalFrames());
        assertTrue(result.succeeded());
        assertTrue(progress.toString().contains("published 6 frames"), progress.toString());

        List<Frame> frames = sorted(consume(topic, 6));
        List<Frame> expected = new ArrayList<>();
        expected.addAll(
                expectedFrames(
                        "north", new SyntheticCameraSource(0, 3, 64, 48), frames.subList(0, 3)));
        expected.addAll(
                expectedFrames(
                        "south", new SyntheticCameraSource(1, 5, 64, 48), frames.subList(3, 6)));
        assertEquals(expected, frames);
        for (Frame frame : frames) {
            assertTrue(
                    !frame.getCaptureTimestamp()
                            .isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
            assertTrue(!frame.getCaptureTimestamp().isAfter(Instant.now()));
        }
    }

    @ParameterizedTest(name = "the topic''s limit known to the publisher: {0}")
    @ValueSource(booleans = {true, false})
    void shouldSkipAFrameTooLargeForTheTopicAndGoOn(boolean limitKnown, @TempDir Path dir)
            throws Exception {
        // Given a topic that takes records of up to 20 kB, and a camera whose frames alternate
        // between noise (a JPEG of about 60 kB) and a flat grey (a few kB)
        String name = "frames-small-" + limitKnown;
        kafka.createTopic(name, 1, Map.of("max.message.bytes", "20000"));
        Topic<String, Frame> topic = Topics.FRAMES.withName(name);
        writeImages(dir, 12, i -> i % 2 == 0);

        // When it is published as fast as it goes, the publisher refusing what the topic would
        // (as publish does when it can read the topic's limit), or the broker refusing it
        PublishResult result =
                publishAll(topic, new ImageDirectorySource(dir), limitKnown ? 20000 : 0);

        // Then each noisy frame is skipped and counted, and the camera runs to its end
        PublishResult.CameraResult camera = result.cameras().get("night");
        assertNull(camera.error());
        assertEquals(6, camera.frames());
        assertEquals(6, camera.failed());
        assertFalse(result.succeeded(), "not every frame was sent");
        assertTrue(result.summary().contains(" 6 not sent"), result.summary());
        // (consume reads on a second past the 6th and checks there is no other)
        List<Frame> frames = sorted(consume(topic, 6));
        assertEquals(
                List.of(1L, 3L, 5L, 7L, 9L, 11L),
                frames.stream().map(Frame::getSequence).toList(),
                "the grey frames, in order, once each");
    }

    @Test
    void shouldStopACameraNoneOfWhoseFirstFramesFit(@TempDir Path dir) throws Exception {
        kafka.createTopic("frames-tiny", 1, Map.of("max.message.bytes", "20000"));
        writeImages(dir, PublishJob.TOO_LARGE_TO_STOP + 5, i -> true);

        PublishResult result =
                publishAll(Topics.FRAMES.withName("frames-tiny"), new ImageDirectorySource(dir), 0);

        PublishResult.CameraResult camera = result.cameras().get("night");
        assertEquals(0, camera.frames());
        assertTrue(
                camera.error() != null
                        && camera.error()
                                .startsWith(
                                        "its first "
                                                + PublishJob.TOO_LARGE_TO_STOP
                                                + " frames were too large to send (")
                        && camera.error()
                                .endsWith(
                                        "): make frames smaller with --resize or --jpeg-quality,"
                                                + " or raise the topic's max.message.bytes"),
                camera.error());
    }

    @Test
    void shouldKeepALiveCameraGoingWhenItsFirstFramesAreTooLarge() throws Exception {
        // Given a live camera started on a noisy night scene, a frame every 20 ms
        kafka.createTopic("frames-live", 1, Map.of("max.message.bytes", "20000"));
        FrameSource live = new LiveTestCamera(ImageCodecsTest.noise(320, 240, 5), 20, 0, false);

        // When more frames than would stop a file are published, none of which fit
        PublishResult result;
        try (FramePublisher publisher =
                publisher(Topics.FRAMES.withName("frames-live"), b -> b.optTopicLimit(20000))) {
            result =
                    PublishJob.builder()
                            .setPublisher(publisher)
                            .addCamera("night", live)
                            .optRate(FrameRate.max())
                            .optLimit(PublishJob.TOO_LARGE_TO_STOP + 5)
                            .build()
                            .run();
        }

        // Then it did not stop after its first frames: each was skipped, and it went on
        PublishResult.CameraResult camera = result.cameras().get("night");
        assertNull(camera.error());
        assertEquals(PublishJob.TOO_LARGE_TO_STOP + 5, camera.failed());
    }

    @Test
    void shouldRefuseAFrameLargerThanTheTopicTakesWithoutARequest() throws Exception {
        kafka.createTopic("frames-refused", 1, Map.of("max.message.bytes", "20000"));
        try (FramePublisher publisher =
                publisher(Topics.FRAMES.withName("frames-refused"), b -> b.optTopicLimit(20000))) {
            BufferedImage noise = ImageCodecsTest.noise(320, 240, 1);
            Frame frame = publisher.encode("night", 0, Instant.EPOCH, noise, null, Map.of());
            List<Exception> heard = new ArrayList<>();

            Future<RecordMetadata> sent = publisher.send(frame, (m, e) -> heard.add(e));

            // Then it failed before send returned, with the sizes in its message
            assertTrue(sent.isDone());
            assertEquals(1, heard.size());
            assertInstanceOf(RecordTooLargeException.class, heard.get(0));
            assertTrue(
                    heard.get(0)
                            .getMessage()
                            .matches(
                                    "its record of about \\d+ bytes is more than the 20000 the"
                                            + " topic frames-refused takes"),
                    heard.get(0).getMessage());
        }
    }

    @Test
    void shouldEncodeTheSameFrameToTheSameBytesWhateverOrderItsMetadataCameIn() throws Exception {
        // a publisher that only encodes: no topic to check
        try (FramePublisher publisher =
                publisher(Topics.FRAMES.withName("frames-bytes"), b -> b.optCheckTopic(false))) {
            BufferedImage image = ImageCodecsTest.noise(64, 48, 2);
            Map<String, String> forward = new LinkedHashMap<>();
            Map<String, String> backward = new LinkedHashMap<>();
            for (String k : List.of("source", "index", "fps")) {
                forward.put(k, k + "-value");
            }
            for (String k : List.of("fps", "index", "source")) {
                backward.put(k, k + "-value");
            }

            // Then the records are the same bytes (publish's Map.of changed order per JVM)
            assertEquals(
                    publisher.encode("cam", 0, Instant.EPOCH, image, null, forward).toByteBuffer(),
                    publisher
                            .encode("cam", 0, Instant.EPOCH, image, null, backward)
                            .toByteBuffer());
        }
    }

    /** A publisher to the test broker's topic, with the options given. */
    /** Runs publish from the command line, against the test broker. */
    private static CommandRun publish(String... args) {
        List<String> all =
                new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers()));
        all.addAll(List.of(args));
        return CommandRun.of(new PublishCommand(), all.toArray(String[]::new));
    }

    private static FramePublisher publisher(
            Topic<String, Frame> topic, UnaryOperator<FramePublisher.Builder> options) {
        return options.apply(
                        FramePublisher.builder()
                                .setBootstrapServers(kafka.bootstrapServers())
                                .optTopic(topic))
                .build();
    }

    /** PNGs of 320x240 in name order: noise where {@code noisy} says, else flat grey. */
    private static void writeImages(Path dir, int count, IntPredicate noisy) throws Exception {
        for (int i = 0; i < count; i++) {
            BufferedImage image =
                    noisy.test(i)
                            ? ImageCodecsTest.noise(320, 240, i)
                            : OverlayRendererTest.solid(320, 240, 0x808080);
            ImageIO.write(image, "png", dir.resolve(String.format("frame-%02d.png", i)).toFile());
        }
    }

    /** Publishes one camera, "night", at the highest rate. */
    private static PublishResult publishAll(
            Topic<String, Frame> topic, FrameSource source, int topicLimit)
            throws InterruptedException {
        try (FramePublisher publisher = publisher(topic, b -> b.optTopicLimit(topicLimit))) {
            return PublishJob.builder()
                    .setPublisher(publisher)
                    .addCamera("night", source)
                    .optRate(FrameRate.max())
                    .build()
                    .run();
        }
    }

    @Test
    void shouldPublishFromTheCommandLine() {
        // Given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PublishCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        // When
        int exit =
                cli.execute(
                        "--bootstrap-servers", kafka.bootstrapServers(),
                        "--topic", "frames-cli",
                        "--camera", "gate=synthetic:2:4",
                        "--fps", "50",
                        "--limit", "2",
                        "--resize", "32x24",
                        "--jpeg-quality", "60",
                        "--producer-property", "compression.type=zstd");

        // Then
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("gate"), out.toString());
        // no progress line written over and over where standard error is no terminal
        assertFalse(err.toString().contains("published "), err.toString());
        List<Frame> frames = sorted(consume(Topics.FRAMES.withName("frames-cli"), 2));
        assertEquals(List.of(0L, 1L), frames.stream().map(Frame::getSequence).toList());
        assertEquals(32, frames.get(1).getWidth());
        assertEquals(
                24,
                ImageCodecs.classMap(ImageCodecs.bytes(frames.get(1).getGroundTruth())).height());
        assertEquals(
                Map.of(
                        PublishJob.META_SOURCE,
                        "synthetic:2:4",
                        PublishJob.META_INDEX,
                        "1",
                        PublishJob.META_FPS,
                        "10"),
                frames.get(1).getMetadata());
    }

    @Test
    void shouldPublishToTheFramesTopicOfServesSettingsFile(@TempDir Path dir) throws Exception {
        // Given serve's settings file, which names its frames topic among serve's other settings
        Path file =
                Files.writeString(
                        dir.resolve("serve.properties"),
                        "topic.frames=frames-from-file\ncanvas.seeded.iterations=3\n"
                                + "state.dir="
                                + dir
                                + "\n");

        // When publish takes it as its --command-config, with no --topic
        CommandRun run =
                publish(
                        "--command-config",
                        file.toString(),
                        "--camera",
                        "gate=synthetic:2:1",
                        "--max-rate");

        // Then the frames go where serve reads them, and it says where that came from, once
        assertEquals(0, run.exit(), run.err());
        assertEquals(
                List.of(
                        "INFO io.canvasflow.clients.PublishCommand - publishing to"
                                + " frames-from-file (topic.frames in "
                                + file
                                + ")"),
                run.errLines().stream()
                        .filter(l -> l.contains("publishing to"))
                        .map(l -> l.substring(l.indexOf("INFO")))
                        .toList());
        List<ConsumerRecord<String, Frame>> records =
                consume(Topics.FRAMES.withName("frames-from-file"), 1);
        assertEquals(List.of("gate"), records.stream().map(ConsumerRecord::key).toList());
    }

    @Test
    void shouldPublishToTheTopicFlagOverServesSettingsFile(@TempDir Path dir) throws Exception {
        // Given serve's settings file that names another frames topic
        Path file =
                Files.writeString(
                        dir.resolve("serve.properties"), "topic.frames=frames-elsewhere\n");

        // When publish is given it and --topic
        CommandRun run =
                publish(
                        "--command-config",
                        file.toString(),
                        "--topic",
                        "frames-flag",
                        "--camera",
                        "flag=synthetic:2:1",
                        "--max-rate");

        // Then the flag wins, and nothing is said of the file's topic
        assertEquals(0, run.exit(), run.err());
        assertFalse(run.err().contains("publishing to"), run.err());
        assertEquals(
                List.of("flag"),
                consume(Topics.FRAMES.withName("frames-flag"), 1).stream()
                        .map(ConsumerRecord::key)
                        .toList());
    }

    @Test
    void shouldWarnOnceWhenFramesAreLargerThanServeTakesByDefault() {
        // When a camera's frames are scaled beyond serve's default frame.max.pixels, 4096x4096
        CommandRun run =
                publish(
                        "--topic",
                        "frames-cli",
                        "--camera",
                        "big=synthetic:0:2",
                        "--max-rate",
                        "--no-progress",
                        "--resize",
                        "4200x4200");

        // Then they are sent, with one warning that says what serve will do and what to do
        assertEquals(0, run.exit(), run.err());
        assertEquals(
                1,
                run.errLines().stream()
                        .filter(
                                l ->
                                        l.contains(
                                                "WARN io.canvasflow.clients.PublishJob - camera"
                                                        + " big: its frames are 4200x4200, more"
                                                        + " than the 16777216 pixels serve takes"
                                                        + " by default (frame.max.pixels)"))
                        .count(),
                run.err());
    }

    @Test
    void shouldStampALiveCamerasFramesWithTheRateTheyArePublishedAt() throws Exception {
        // Given a live camera at 25 frames a second, published at 5
        Topic<String, Frame> topic = Topics.FRAMES.withName("frames-live-rate");
        try (FramePublisher publisher = publisher(topic, UnaryOperator.identity())) {
            PublishJob.builder()
                    .setPublisher(publisher)
                    .addCamera("door", new LiveTestCamera(40, 0, false))
                    .optRate(FrameRate.fixed(5))
                    .optLimit(2)
                    .build()
                    .run();
        }

        // Then its frames say 5 fps, the rate their video plays at in real time
        for (ConsumerRecord<String, Frame> record : consume(topic, 2)) {
            assertEquals("5", record.value().getMetadata().get(PublishJob.META_FPS));
        }
    }

    @Test
    void shouldRefuseAMaxRequestSizeThatIsNoNumberInOneSentence() {
        CommandRun run =
                publish(
                        "--topic",
                        "frames-big",
                        "--camera",
                        "a=synthetic:0:1",
                        "--producer-property",
                        "max.request.size=abc");

        assertEquals(2, run.exit(), run.err());
        assertTrue(
                run.err()
                        .startsWith(
                                "the Kafka client settings for "
                                        + kafka.bootstrapServers()
                                        + " make no client: Invalid value abc for configuration"
                                        + " max.request.size: Not a number of type INT; check the"
                                        + " producer properties it names"),
                run.err());
    }

    @Test
    void shouldScaleFramesDownIntoABoxKeepingTheirAspectRatio() throws Exception {
        // Given a 16:9 frame with ground truth, and a publisher that fits frames within 32x32
        Topic<String, Frame> topic = Topics.FRAMES.withName("frames-fit");
        BufferedImage wide = ImageCodecsTest.noise(64, 36, 3);
        byte[] truth = ImageCodecs.grayLabelPng(ImageCodecsTest.randomLabels(64, 36, 4, 5), 64, 36);

        // When it is published
        try (FramePublisher publisher =
                FramePublisher.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optTopic(topic)
                        .optFitWithin(32, 32)
                        .build()) {
            publisher.publish("wide", 0, Instant.now(), wide, truth, Map.of()).get();
        }

        // Then the frame and its ground truth are 32x18, not squashed to 32x32
        Frame frame = consume(topic, 1).get(0).value();
        assertEquals(List.of(32, 18), List.of(frame.getWidth(), frame.getHeight()));
        BufferedImage image = ImageCodecs.frameImage(frame);
        assertEquals(List.of(32, 18), List.of(image.getWidth(), image.getHeight()));
        ClassMap labels = ImageCodecs.classMap(ImageCodecs.bytes(frame.getGroundTruth()));
        assertEquals(List.of(32, 18), List.of(labels.width(), labels.height()));
    }

    @Test
    void shouldAskForBootstrapServersWhenNoneAreGiven() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PublishCommand());
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("--bootstrap-servers", "", "--camera", "a=synthetic:0:1");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("KAFKA_BOOTSTRAP_SERVERS"), err.toString());
    }

    /** The frames a fresh copy of the source becomes, with the capture times that were stamped. */
    private static List<Frame> expectedFrames(
            String camera, FrameSource source, List<Frame> published) {
        List<Frame> frames = new ArrayList<>();
        List<SourceFrame> read = SyntheticCameraSourceTest.read(source);
        for (int i = 0; i < published.size(); i++) {
            SourceFrame frame = read.get(i);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(PublishJob.META_SOURCE, source.description());
            metadata.put(PublishJob.META_INDEX, Long.toString(i));
            metadata.put(PublishJob.META_FPS, "10");
            frames.add(
                    Frame.newBuilder()
                            .setCameraId(camera)
                            .setSequence(100 + i)
                            .setCaptureTimestamp(published.get(i).getCaptureTimestamp())
                            .setWidth(64)
                            .setHeight(48)
                            .setEncoding(ImageEncoding.JPEG)
                            .setImage(
                                    ByteBuffer.wrap(
                                            ImageCodecs.jpeg(
                                                    frame.image(),
                                                    ImageCodecs.DEFAULT_JPEG_QUALITY)))
                            .setGroundTruth(ByteBuffer.wrap(frame.groundTruthPng()))
                            .setMetadata(metadata)
                            .build());
        }
        return frames;
    }

    private static List<Frame> sorted(List<ConsumerRecord<String, Frame>> records) {
        return Frames.sorted(records);
    }

    static <V> List<ConsumerRecord<String, V>> consume(Topic<String, V> topic, int count) {
        List<ConsumerRecord<String, V>> records =
                TopicReader.readFromBeginning(
                        kafka.bootstrapServers(), topic, count, Duration.ofSeconds(30));
        assertEquals(count, records.size(), "records read back from " + topic.name());
        return records;
    }
}
