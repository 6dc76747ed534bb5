package io.canvasflow.trainer.label;

import static io.canvasflow.testsupport.CommandAssertions.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.clients.FramePublisher;
import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.schemas.Topics;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.trainer.SquareFootage;
import io.canvasflow.trainer.data.DatasetException;
import io.canvasflow.trainer.data.LabelledData;
import io.canvasflow.trainer.data.SequenceRange;
import io.canvasflow.trainer.data.TopicLabelledData;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code canvasflow label} against a real broker. */
class LabelCommandTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    @TempDir Path dir;

    @Test
    void shouldWriteTheLabelledFramesOfAMovingSquareToATopicInOneTransaction() throws Exception {
        // Given a folder of 40 frames in which a square starts moving at frame 20
        Path frames = frames(40, 20);
        // When they are labelled by the motion teacher into a topic
        CommandRun run = labelInto("labelled-a", motion(frames.toString(), "cam-1"));
        // Then 35 frames (all but the warm-up) are in the topic, with the teacher's classes
        LabelledData read =
                assertLabelled(run, "labelled-a", "cam-1", 35, List.of("background", "moving"));
        assertTrue(((String) read.lineage().get("teacher")).startsWith("motion:mog2"));
        assertEquals("5-39", read.lineage().get("sequenceRange"));
        assertEquals(1, read.sequences().size(), "consecutive frames form one sequence");
    }

    @Test
    void shouldKeepEveryFrameOfTwoLabelRunsOfOneCameraIntoOneTopicAsRunsOfTheirOwn()
            throws Exception {
        // Given two label runs of camera X into one topic, each numbering its frames from 0:
        // frames 5-19 of one footage, then 5-29 of another
        assertEquals(0, labelInto("labelled-runs", motion(frames(20, 5).toString(), "X")).exit());
        assertEquals(0, labelInto("labelled-runs", motion(frames(30, 8).toString(), "X")).exit());
        // When the topic is read, whole and for frames 10-14
        LabelledData whole = read("labelled-runs", "X");
        LabelledData some = readRange("labelled-runs", "X", new SequenceRange(10, 14));
        // Then every frame of both runs is there, each run a sequence of its own (the second run
        // replaced the first's frames of the same numbers, and the two were chained as one)
        // each named after its first capture time, which the lineage records with its last
        List<?> runs =
                (List<?>) ((Map<?, ?>) whole.lineage().get(TopicLabelledData.CAMERA_RUNS)).get("X");
        assertEquals(2, runs.size(), runs.toString());
        String first = runs.get(0).toString().split("/")[0];
        String second = runs.get(1).toString().split("/")[0];
        assertEquals(
                List.of("X:5@" + first + " x15", "X:5@" + second + " x25"), idsAndSizes(whole));
        assertEquals(40, whole.lineage().get("frames"));
        assertEquals("5-29", whole.lineage().get("sequenceRange"));
        // And a range selects by number within every run
        assertEquals(List.of("X:10@" + first + " x5", "X:10@" + second + " x5"), idsAndSizes(some));
        assertEquals(10, some.lineage().get("frames"));
    }

    /**
     * The arguments that label {@code source} as {@code camera} with the motion teacher set for
     * these short clips of a small square, then {@code more}.
     */
    private static String[] motion(String source, String camera, String... more) {
        List<String> all = new ArrayList<>(List.of("--source", source, "--camera", camera));
        all.addAll(SquareFootage.MOTION_TEACHER);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static List<String> idsAndSizes(LabelledData data) {
        return data.sequences().stream().map(s -> s.id() + " x" + s.size()).toList();
    }

    @Test
    void shouldFailAndWriteNothingWhenTheTeacherLabelsNothing() throws Exception {
        // Given frames in which nothing moves
        Path frames = frames(30, Integer.MAX_VALUE);
        // When they are labelled
        CommandRun run =
                labelInto(
                        "labelled-b",
                        "--source",
                        frames.toString(),
                        "--camera",
                        "still",
                        "--warm-up",
                        "5");
        // Then the command fails with one sentence, and no frame is visible to read_committed
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("labelled no pixel as anything but background"), run.err());
        // (Kafka's own INFO lines share stderr here; the CLI keeps them at WARN.)
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("canvasflow label:")).count());
        assertFalse(run.err().contains("\tat "), "a stack trace: " + run.err());
        // and the topic it created for them is gone again, not left empty behind it
        assertTrue(run.out().contains("Deleted topic labelled-b, left empty"), run.out());
        // (a broker learns of the deletion a moment after the controller has answered)
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            boolean gone;
            do {
                gone = !admin.listTopics().names().get().contains("labelled-b");
                if (!gone) {
                    Thread.sleep(100);
                }
            } while (!gone && System.nanoTime() < deadline);
            assertTrue(gone, "the topic labelled-b is still there");
        }
    }

    @Test
    void shouldCommitInTransactionsOfAHundredFramesSoThatAFailureKeepsThem() throws Exception {
        // Given 230 frames, the one at 220 of another size (the camera's view changed)
        Path frames = frames(230, 0);
        ImageIO.write(
                new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR),
                "png",
                frames.resolve("f0220.png").toFile());
        // When they are labelled into a topic
        CommandRun run = labelInto("labelled-parts", motion(frames.toString(), "parts"));
        // Then the failure is one sentence that says what stays: the two transactions of 100
        // labelled frames committed before it (one transaction for the run left nothing, and
        // failed at its commit after 15 minutes however the run went)
        assertEquals(2, run.exit(), run.err());
        List<String> said =
                run.err().lines().filter(l -> l.startsWith("canvasflow label:")).toList();
        assertEquals(1, said.size(), run.err());
        assertTrue(
                said.get(0)
                        .contains("the motion teacher got a 32x24 frame after 220 frames of 64x48"),
                said.get(0));
        assertTrue(
                said.get(0)
                        .endsWith(
                                "; the 200 frames committed before it stay in topic labelled-parts"),
                said.get(0));
        assertEquals(200, read("labelled-parts", "parts").frameCount());
    }

    @Test
    void shouldLabelEveryReadableFrameAndSayWhichWereSkipped() throws Exception {
        // Given 30 frames of a folder, the one at 20 unreadable
        Path frames = frames(30, 0);
        Files.writeString(frames.resolve("f0020.png"), "not a png");
        // When they are labelled into a topic
        CommandRun run = labelInto("labelled-skips", motion(frames.toString(), "skips"));
        // Then the other 29 are labelled and committed (the skip failed the run at the folder's
        // end and aborted the open transaction), and the skip is said with status 1
        assertEquals(1, run.exit(), run.err());
        List<String> said =
                run.err().lines().filter(l -> l.startsWith("canvasflow label:")).toList();
        assertEquals(
                List.of(
                        "canvasflow label: 1 of the 30 images in "
                                + frames
                                + " could not be read and were skipped, the first f0020.png"),
                said.stream().map(l -> l.substring(0, l.indexOf(" ("))).toList(),
                run.err());
        assertTrue(
                said.get(0).endsWith("; every other frame is labelled and written"), said.get(0));
        assertEquals(24, read("labelled-skips", "skips").frameCount());
        // And a range that ends before the folder does says it too (it exited 0 in silence)
        CommandRun ranged =
                labelInto(
                        "labelled-skips-ranged",
                        motion(frames.toString(), "skips", "--frames", "0-25"));
        assertEquals(1, ranged.exit(), ranged.err());
        assertTrue(
                ranged.err().contains("canvasflow label: 1 of the 30 images in " + frames),
                ranged.err());
    }

    @Test
    void shouldCleanUpAndExit130WhenStoppedBeforeLabellingAnything() throws Exception {
        // Given label runs that are stopped (as Ctrl-C or SIGTERM stops them) before any frame
        Path frames = frames(30, 10);
        LabelCommand toTopic = new LabelCommand();
        toTopic.stopRequested.set(true);
        CommandRun topic =
                kafka.run(
                        toTopic,
                        "--source",
                        frames.toString(),
                        "--camera",
                        "stopped",
                        "--to-topic",
                        "labelled-stopped");
        // Then each exits 130 with a line that says so, and the topic it created is gone
        assertEquals(130, topic.exit(), topic.err());
        assertEquals(
                List.of(
                        "canvasflow label: stopped by Ctrl-C or SIGTERM after 0 frames read;"
                                + " nothing was written"),
                topic.err().lines().filter(l -> l.startsWith("canvasflow label:")).toList());
        assertTrue(topic.out().contains("Deleted topic labelled-stopped, left empty"), topic.out());
        // and a VOC run leaves neither its folder nor a partial one
        LabelCommand toFolder = new LabelCommand();
        toFolder.stopRequested.set(true);
        CommandRun voc =
                CommandRun.of(
                        toFolder,
                        "--source",
                        frames.toString(),
                        "--voc",
                        dir.resolve("out/voc").toString());
        assertEquals(130, voc.exit(), voc.err());
        assertFalse(Files.exists(dir.resolve("out")), "the folders made for it are gone");
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("partial")));
        }
    }

    @Test
    void shouldSayWhichCamerasATopicHoldsWhenTheCameraHasNone() throws Exception {
        CommandRun run = labelInto("labelled-c", motion(frames(30, 10).toString(), "cam-2"));
        assertEquals(0, run.exit(), run.err());
        DatasetException e = assertThrows(DatasetException.class, () -> read("labelled-c", "x"));
        assertEquals(
                "Topic labelled-c has no labelled frames of camera x (cameras in it: [cam-2])",
                e.getMessage());
    }

    @Test
    void shouldWriteAVocFolderOnlyWhenLabellingSucceeded() throws Exception {
        Path out = dir.resolve("voc");
        CommandRun ok = label(motion(frames(30, 10).toString(), "c", "--voc", out.toString()));
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(25, Files.list(out.resolve("SegmentationClassPNG")).count());
        assertEquals(
                List.of("background", "moving"),
                Files.readAllLines(out.resolve("class_names.txt")));
        // (under folders that do not exist yet: they go too when it refuses)
        Path none = dir.resolve("runs/today/voc-none");
        CommandRun failed =
                label(
                        "--source",
                        frames(30, Integer.MAX_VALUE).toString(),
                        "--warm-up",
                        "5",
                        "--voc",
                        none.toString());
        assertEquals(2, failed.exit());
        assertFalse(Files.exists(dir.resolve("runs")), "the folders made for it are gone");
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("partial")));
        }
    }

    @Test
    void shouldGiveEachCamerasRunItsOwnTransactionalId() throws Exception {
        // Given one footage folder labelled as three cameras into one topic, one camera id with
        // characters a transactional id should not carry
        Path frames = frames(30, 10);
        List<String> cameras = List.of("door", "lobby", "gate 1/é");
        for (String camera : cameras) {
            CommandRun run = labelInto("labelled-tx", motion(frames.toString(), camera));
            assertEquals(0, run.exit(), camera + ": " + run.err());
        }
        // Then each run had its own transactional id (all three had the folder's, so two runs at
        // once fenced each other and the earlier failed at its commit after all its work)
        List<String> ids;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ids =
                    admin.listTransactions().all().get().stream()
                            .map(t -> t.transactionalId())
                            .filter(id -> id.startsWith("canvasflow-label-labelled-tx/"))
                            .sorted()
                            .toList();
        }
        assertEquals(3, ids.size(), ids.toString());
        assertEquals("canvasflow-label-labelled-tx/door", ids.get(0));
        assertTrue(
                ids.get(1).matches("canvasflow-label-labelled-tx/gate-1/--[0-9a-f]{12}"),
                ids.get(1));
        assertEquals("canvasflow-label-labelled-tx/lobby", ids.get(2));
        assertEquals(75, read("labelled-tx", null).frameCount());
        // and a camera id too long for one is cut, two such kept apart by their digests
        String longer = LabelCommand.transactionalId("labelled-tx", "c".repeat(300));
        assertEquals(249, longer.length());
        assertNotEquals(longer, LabelCommand.transactionalId("labelled-tx", "c".repeat(301)));
        // and a topic and camera that would read alike with a dash between them do not
        assertNotEquals(
                LabelCommand.transactionalId("labelled-night", "gate"),
                LabelCommand.transactionalId("labelled", "night-gate"));
    }

    @Test
    void shouldReadATopicForAsLongAsRecordsKeepComing() throws Exception {
        // Given 15 labelled frames, read one record a poll, each poll taking 0.6 s
        CommandRun run = labelInto("labelled-slow", motion(frames(20, 5).toString(), "slow"));
        assertEquals(0, run.exit(), run.err());
        Map<String, String> slow =
                Map.of(
                        "bootstrap.servers",
                        kafka.bootstrapServers(),
                        "max.poll.records",
                        "1",
                        "interceptor.classes",
                        SlowPolls.class.getName());
        // When they are read with a limit of 3 s without a record
        long start = System.nanoTime();
        LabelledData read =
                TopicLabelledData.read(
                        new TopicLabelledData.Request(
                                slow,
                                Topics.FRAMES_LABELLED.withName("labelled-slow"),
                                null,
                                SequenceRange.ALL,
                                null,
                                0,
                                0,
                                Duration.ofSeconds(3)));
        // Then the read takes longer than that, and gets every frame (the limit was on the whole
        // read, decoding included, so a long topic failed whatever its progress)
        assertTrue(System.nanoTime() - start > 9_000_000_000L, "the read was not slow");
        assertEquals(15, read.frameCount());
    }

    /** Makes each poll that returns records take 0.6 s, as a long decode or a slow link would. */
    public static final class SlowPolls implements ConsumerInterceptor<Object, Object> {
        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    @Test
    void shouldLabelACamerasFramesReadFromAFramesTopic() throws Exception {
        // Given a frames topic with two cameras, one of them seeing a square move
        kafka.broker().createTopic("frames-in", 2, Map.of());
        try (FramePublisher publisher =
                FramePublisher.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optTopic(Topics.FRAMES.withName("frames-in"))
                        .optJpegQuality(1f)
                        .build()) {
            Path moving = frames(30, 10);
            try (var files = Files.list(moving)) {
                List<Path> sorted = files.sorted().toList();
                for (int i = 0; i < sorted.size(); i++) {
                    BufferedImage image = ImageIO.read(sorted.get(i).toFile());
                    publisher.publish(
                            "door", i, Instant.ofEpochMilli(100L * i), image, null, Map.of());
                    publisher.publish(
                            "lobby", i, Instant.ofEpochMilli(100L * i), image, null, Map.of());
                }
            }
        }
        // When one camera's frames 0-24 are labelled from the topic
        CommandRun run =
                labelInto("labelled-door", motion("topic:frames-in", "door", "--frames", "0-24"));
        // Then its 20 frames after the warm-up are labelled, keeping their sequence numbers
        assertEquals(0, run.exit(), run.err());
        LabelledData read = read("labelled-door", null);
        assertEquals(20, read.frameCount());
        assertEquals(List.of("door:5"), read.sequences().stream().map(s -> s.id()).toList());
        assertEquals("5-24", read.lineage().get("sequenceRange"));
        // and, read with no camera asked for, each camera's own range (here the one camera's)
        assertEquals(Map.of("door", "5-24"), read.lineage().get("cameraRanges"));
    }

    /**
     * Labels the clip of camera {@code field} into {@code topic} through an ONNX model of the
     * classes green and red, fed values in 0..1.
     */
    private CommandRun labelFieldThroughOnnx(
            String topic, Path model, Path frames, String... more) {
        List<String> args =
                new ArrayList<>(List.of("--source", frames.toString(), "--camera", "field"));
        args.addAll(OnnxTeacherTest.onnxTeacher(model, "green,red"));
        args.addAll(List.of(more));
        return labelInto(topic, args.toArray(String[]::new));
    }

    @Test
    void shouldLabelAClipThroughAnOnnxModel() throws Exception {
        // Given a model that calls red pixels "red" and green ones "green", and a clip of a red
        // square moving over a green field
        Path model = dir.resolve("teacher.onnx");
        Files.write(model, OnnxGraphs.conv1x1(new float[][] {{-4, 4, 0}, {4, -4, 0}}, false));
        Path frames = frames(12, 0, new Color(20, 160, 20), new Color(220, 30, 30));
        // When the clip is labelled through it
        CommandRun run = labelFieldThroughOnnx("labelled-onnx", model, frames);
        // Then every frame is labelled (no warm-up), the square red and the field green
        LabelledData read =
                assertLabelled(run, "labelled-onnx", "field", 12, List.of("green", "red"));
        var first = read.frames().get(0);
        assertEquals(1, first.label(15, 20), "inside the square");
        assertEquals(0, first.label(50, 40), "on the field");
        assertEquals(12 * 16, first.labelHistogram()[1]);
    }

    @Test
    void shouldRecordTheOnnxTeacherExactlyInTheLabelsLineage() throws Exception {
        // Given a model ending in Softmax, fed 32x24 images
        Path model = dir.resolve("softmax.onnx");
        Files.write(model, OnnxGraphs.conv1x1Softmax(new float[][] {{-4, 4, 0}, {4, -4, 0}}));
        Path frames = frames(3, 0, new Color(20, 160, 20), new Color(220, 30, 30));
        // When a clip is labelled through it into a topic
        CommandRun run =
                labelFieldThroughOnnx("labelled-softmax", model, frames, "--teacher-size", "32x24");
        // Then the labels' lineage names the file by path and digest, the size it was fed and
        // how its output was read (decided on the first frame)
        LabelledData read =
                assertLabelled(run, "labelled-softmax", "field", 3, List.of("green", "red"));
        assertEquals(
                OnnxTeacherTest.description(model, "32x24", 2, "auto:probabilities"),
                read.lineage().get("teacher"));
    }

    @Test
    void shouldRefuseAnOnnxTeacherWithoutAPerPixelOutputAndWriteNothing() throws Exception {
        Path model = dir.resolve("flat.onnx");
        Files.write(model, OnnxGraphs.conv1x1(new float[][] {{-4, 4, 0}, {4, -4, 0}}, true));
        CommandRun run =
                labelInto(
                        "labelled-flat",
                        "--source",
                        frames(5, 0).toString(),
                        "--teacher",
                        "onnx:" + model,
                        "--teacher-classes",
                        "green,red");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("per-pixel class score map"), run.err());
        assertThrows(DatasetException.class, () -> read("labelled-flat", null));
    }

    /** Debian's opencv-doc street clip; .ci/run sets CANVASFLOW_VTEST. */
    @Test
    @EnabledIfEnvironmentVariable(named = "CANVASFLOW_VTEST", matches = ".+")
    void shouldLabelPeopleWalkingInVtest() throws Exception {
        CommandRun run =
                labelInto(
                        "labelled-vtest",
                        "--source",
                        System.getenv("CANVASFLOW_VTEST"),
                        "--frames",
                        "0-79",
                        "--moving-class",
                        "person");
        LabelledData read =
                assertLabelled(run, "labelled-vtest", "vtest", 50, List.of("background", "person"));
        long person = 0;
        long pixels = 0;
        for (var f : read.frames()) {
            person += f.labelHistogram()[1];
            pixels += (long) f.width() * f.height();
        }
        // Three to six walkers of roughly 25x70 pixels in a 768x576 view.
        double share = (double) person / pixels;
        assertTrue(share > 0.004 && share < 0.05, "person share " + share);
    }

    private LabelledData read(String topic, String camera) {
        return readRange(topic, camera, SequenceRange.ALL);
    }

    private LabelledData readRange(String topic, String camera, SequenceRange range) {
        return TopicLabelledData.read(
                new TopicLabelledData.Request(
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        Topics.FRAMES_LABELLED.withName(topic),
                        camera,
                        range,
                        null,
                        0,
                        0,
                        TopicLabelledData.IDLE_LIMIT));
    }

    @Test
    void shouldRefuseABrokerThatIsNotThereInOneSentence() throws Exception {
        // Given footage and a bootstrap address nothing listens on
        CommandRun run =
                CommandRun.of(
                        new LabelCommand(),
                        "--source",
                        frames(12, 4).toString(),
                        "--camera",
                        "c",
                        "--bootstrap-servers",
                        "127.0.0.1:1");

        // Then the preflight says so, exit 2 (before it, the admin client's timeouts ran out
        // after a minute of connection warnings)
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("no Kafka broker at 127.0.0.1:1"), run.err());
    }

    @Test
    void shouldNameATopicThatIsNotThereInOneSentence() {
        // Given a cluster without the topic, as frames to label and as labelled data to train on
        CommandRun label =
                CommandRun.of(
                        new LabelCommand(),
                        "--source",
                        "topic:no-such-frames",
                        "--camera",
                        "c",
                        "--voc",
                        dir.resolve("voc").toString(),
                        "--bootstrap-servers",
                        kafka.bootstrapServers());
        CommandRun train =
                CommandRun.of(
                        new io.canvasflow.trainer.TrainCommand(),
                        "--data",
                        "topic:no-such-labels",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--output",
                        dir.resolve("model").toString());

        // Then each says which topic is missing where, exit 2, and writes nothing
        assertEquals(2, label.exit(), label.err());
        assertTrue(
                label.err()
                        .contains(
                                "the topic no-such-frames does not exist at "
                                        + kafka.bootstrapServers()),
                label.err());
        assertEquals(2, train.exit(), train.err());
        assertTrue(
                train.err()
                        .contains(
                                "the topic no-such-labels does not exist at "
                                        + kafka.bootstrapServers()),
                train.err());
        assertFalse(Files.exists(dir.resolve("voc")));
        assertFalse(Files.exists(dir.resolve("model")));
    }

    @Test
    void shouldRefuseAClassNameATopicCannotCarryBeforeMakingTheTopic() throws Exception {
        // When frames are to be labelled into a new topic with a moving class holding a comma
        CommandRun run =
                labelInto(
                        "labelled-comma",
                        motion(frames(30, 10).toString(), "c", "--moving-class", "a,b"));
        // Then it is refused in one sentence before the topic is made (it was made, then deleted,
        // and the transactional producer built for it was left open)
        assertEquals(2, run.exit(), run.err());
        assertEquals(
                List.of(
                        "canvasflow label: the moving class (--moving-class) cannot be 'a,b':"
                                + " class name 'a,b' holds a comma, which separates the names"),
                run.err().lines().filter(l -> l.startsWith("canvasflow label:")).toList());
        assertFalse(run.out().contains("labelled-comma"), run.out());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertFalse(admin.listTopics().names().get().contains("labelled-comma"));
        }
    }

    @Test
    void shouldRefuseAConfidenceOutsideZeroToOneAndTwoDestinations() throws Exception {
        Path frames = frames(3, 1);
        // (options of an onnx teacher: the motion teacher refuses them whatever their value)
        String onnx = "onnx:" + dir.resolve("teacher.onnx");
        CommandRun confidence =
                label(
                        "--source",
                        frames.toString(),
                        "--teacher",
                        onnx,
                        "--min-confidence",
                        "2",
                        "--voc",
                        "x");
        assertRefused(confidence, "expected --min-confidence between 0 and 1 but found 2.0");

        CommandRun size =
                label(
                        "--source",
                        frames.toString(),
                        "--teacher",
                        onnx,
                        "--teacher-size",
                        "axb",
                        "--voc",
                        "x");
        assertRefused(size, "--teacher-size expects WIDTHxHEIGHT");

        CommandRun both = label("--source", frames.toString(), "--voc", "x", "--to-topic", "t");
        assertRefused(both, "mutually exclusive");
    }

    private CommandRun label(String... args) {
        return kafka.run(new LabelCommand(), args);
    }

    /** Runs label with these arguments into {@code topic} on the test broker. */
    private CommandRun labelInto(String topic, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--to-topic", topic));
        return label(all.toArray(String[]::new));
    }

    /** {@code count} 64x48 PNG frames; a white square moves from frame {@code movesFrom} on. */
    private Path frames(int count, int movesFrom) throws Exception {
        return frames(count, movesFrom, SquareFootage.STREET, Color.WHITE);
    }

    private Path frames(int count, int movesFrom, Color background, Color square) throws Exception {
        return SquareFootage.writePngs(
                Files.createTempDirectory(dir, "frames"),
                count,
                t -> SquareFootage.movingSquare(t, movesFrom, background, square));
    }

    /** The run succeeded and wrote {@code frames} frames of the camera, with these classes. */
    private LabelledData assertLabelled(
            CommandRun run, String topic, String camera, int frames, List<String> classes) {
        assertEquals(0, run.exit(), run.err());
        LabelledData read = read(topic, camera);
        assertEquals(frames, read.frameCount());
        assertEquals(classes, read.classes().names());
        return read;
    }
}
