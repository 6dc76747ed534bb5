package io.canvasflow.trainer.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.FrameSources;
import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.schemas.Topics;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.testsupport.TopicReader;
import io.canvasflow.trainer.SquareFootage;
import io.canvasflow.trainer.data.LabelledData;
import io.canvasflow.trainer.data.SequenceRange;
import io.canvasflow.trainer.data.TopicLabelledData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What {@link LabelJob} leaves written when a run fails part way or is asked to stop. */
class LabelJobTest {

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    @TempDir Path dir;

    private static final ClassTable CLASSES = ClassTable.withVocPalette(List.of("bg", "thing"));

    @Test
    void shouldFitItsTransactionsToAShorterTransactionTimeout() {
        // FramePublisher's 15 minutes: the usual parts
        assertEquals(
                LabelJob.Batching.TRANSACTIONS,
                LabelJob.Batching.within(FramePublisher.TRANSACTION_TIMEOUT));
        // a producer's transaction.timeout.ms of a minute: parts of 6 s, 40 s for a first object,
        // where the first transaction stayed open 10 minutes and was aborted by the broker
        LabelJob.Batching minute = LabelJob.Batching.within(Duration.ofMinutes(1));
        assertEquals(Duration.ofSeconds(6), minute.age());
        assertEquals(Duration.ofSeconds(40), minute.firstObjectWithin());
        assertEquals(100, minute.frames());
    }

    @Test
    void shouldCommitEachFullTransactionSoThatAFailureLeavesWholeOnes() throws Exception {
        // Given 30 frames, a teacher that fails on frame 25, and transactions of 10 frames
        String topic = "parts-failed";
        try (FrameSource source = frames(30);
                TopicSink sink = topicSink(topic, new LabelJob.Batching(10, HOUR, HOUR))) {
            // When they are labelled
            TeacherException e =
                    assertThrows(
                            TeacherException.class,
                            () -> run(source, new Squares(true, 25), sink, () -> false));
            // Then the failure is told, and the two transactions committed before it stay, whole
            // (in one transaction for the run, a failure or a run past 15 minutes left nothing)
            assertEquals("the teacher failed on frame 25", e.getMessage());
            assertEquals(20, sink.checkpointed());
        }
        assertEquals(20, committed(topic, 20));
    }

    @Test
    void shouldWriteWhatWasLabelledWhenAskedToStop() throws Exception {
        // Given a run asked to stop once it has read 12 frames of 30, into a topic
        String topic = "parts-stopped";
        AtomicInteger asked = new AtomicInteger();
        BooleanSupplier afterTwelve = () -> asked.incrementAndGet() > 12;
        LabelJob.Result toTopic;
        try (FrameSource source = frames(30);
                TopicSink sink = topicSink(topic, new LabelJob.Batching(5, HOUR, HOUR))) {
            toTopic = run(source, new Squares(true, -1), sink, afterTwelve);
        }
        // Then it reads no further frame and commits the 12 it labelled
        assertEquals(List.of(12L, 12L, 12L, true), summary(toTopic));
        assertEquals(12, committed(topic, 12));
        // And into a VOC folder, the folder is finished with them, with no partial folder left
        asked.set(0);
        Path voc = dir.resolve("out/voc");
        LabelJob.Result toFolder;
        try (FrameSource source = frames(30);
                LabelJob.Sink sink = LabelJob.vocSink(voc, CLASSES)) {
            toFolder = run(source, new Squares(true, -1), sink, afterTwelve);
        }
        assertEquals(List.of(12L, 12L, 12L, true), summary(toFolder));
        assertEquals(12, count(voc.resolve("SegmentationClassPNG")));
        assertEquals(List.of("voc"), names(dir.resolve("out")));
        // And a run stopped before its teacher labelled anything but background writes nothing
        asked.set(0);
        Path empty = dir.resolve("out/empty");
        try (FrameSource source = frames(30);
                LabelJob.Sink sink = LabelJob.vocSink(empty, CLASSES)) {
            LabelJob.Result none = run(source, new Squares(false, -1), sink, afterTwelve);
            assertEquals(List.of(12L, 12L, 0L, true), summary(none));
        }
        assertEquals(List.of("voc"), names(dir.resolve("out")));
    }

    @Test
    void shouldMakeTheVocFolderWithThePermissionsOfAnyNewFolder() throws Exception {
        // Given a file system with POSIX permissions, and a folder made the plain way beside
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Set<PosixFilePermission> plain =
                Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain")));
        // When a VOC folder is written
        Path voc = dir.resolve("voc");
        try (FrameSource source = frames(30);
                LabelJob.Sink sink = LabelJob.vocSink(voc, CLASSES)) {
            run(source, new Squares(true, -1), sink, () -> false);
        }
        // Then it and its folders have the same permissions (it was owner-only, a temporary
        // folder moved into place, so no one else could train on it)
        Map<String, Set<PosixFilePermission>> expected = new TreeMap<>();
        Map<String, Set<PosixFilePermission>> made = new TreeMap<>();
        for (String folder : List.of("voc", "voc/JPEGImages", "voc/SegmentationClassPNG")) {
            expected.put(folder, plain);
            made.put(folder, Files.getPosixFilePermissions(dir.resolve(folder)));
        }
        assertEquals(expected, made);
    }

    @Test
    void shouldWriteNothingWhenNoFrameShowsAnythingBeforeTheFirstTransactionMustEnd()
            throws Exception {
        // Given a teacher that labels only background, and no time to wait for anything else
        String topic = "parts-background";
        try (FrameSource source = frames(30);
                TopicSink sink =
                        topicSink(topic, new LabelJob.Batching(10, HOUR, Duration.ofMillis(0)))) {
            // When the frames are labelled
            TeacherException e =
                    assertThrows(
                            TeacherException.class,
                            () -> run(source, new Squares(false, -1), sink, () -> false));
            // Then it fails at once, with nothing written (a transaction could not wait longer)
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "teacher squares labelled no pixel as anything but bg in 1"
                                            + " frames of "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("give --frames FROM-TO where something is seen"));
            assertEquals(0, sink.checkpointed());
        }
        assertEquals(0, committed(topic, 0));
    }

    @Test
    void shouldSayThatEveryFrameWentToTheWarmUpRatherThanBlameTheTeacher() throws Exception {
        // Given 15 frames in which nothing moves, and the motion teacher's 30-frame warm-up
        Path voc = dir.resolve("warm-up");
        // When they are labelled
        Failure inWarmUp = labelFifteenStillFrames(30, voc);
        // Then it says that no frame was labelled, and what to do, not that the teacher saw
        // nothing in 15 frames it never labelled
        assertEquals(
                "teacher "
                        + inWarmUp.teacher()
                        + " labelled no frame of "
                        + inWarmUp.source()
                        + " (0-): the 15 frames read all went to its 30-frame warm-up, in which"
                        + " it labels no frame; nothing was written; label more than 30 frames"
                        + " (a longer --frames range or source), or give a smaller --warm-up"
                        + " N",
                inWarmUp.message());
        assertFalse(Files.exists(voc));
        // And past a shorter warm-up, the frames it did label are the ones counted
        Failure shorter = labelFifteenStillFrames(5, voc);
        assertEquals(
                "teacher "
                        + shorter.teacher()
                        + " labelled no pixel as anything but background in 10 frames of "
                        + shorter.source()
                        + " (0-); nothing was written",
                shorter.message());
        assertFalse(Files.exists(voc));
    }

    @Test
    void shouldSayTheSourcesFramesWhenNoneIsInTheRange() throws Exception {
        // Given a source of 5 frames (0-4)
        Path voc = dir.resolve("out-of-range");
        try (FrameSource source = frames(5);
                Teacher teacher = new Squares(true, -1);
                LabelJob.Sink sink = LabelJob.vocSink(voc, teacher.classes())) {
            // When frames 900-999 of it are labelled
            TeacherException e =
                    assertThrows(
                            TeacherException.class,
                            () ->
                                    LabelJob.run(
                                            source,
                                            "cam",
                                            new SequenceRange(900, 999),
                                            teacher,
                                            sink,
                                            new PrintStream(new ByteArrayOutputStream()),
                                            () -> false));
            // Then the one sentence says which frames it has, and what to give
            assertEquals(
                    "read no frame in range 900-999 of "
                            + source.description()
                            + ", which has frames 0-4; give a --frames range within 0-4",
                    e.getMessage());
        }
        assertFalse(Files.exists(voc));
    }

    @Test
    void shouldSayWhereASourcesFramesJumpOverTheRange() {
        // Given sources whose frames pass the range without one in it (a topic's camera, say)
        // When what they had is said
        // Then it is where their frames jump over the range, or the first one, or that none came
        assertEquals(
                List.of(
                        ", whose frames go from 5 to 25; give a --frames range that holds some of"
                                + " its frames",
                        ", whose first frame is 50; give a --frames range that holds some of its"
                                + " frames",
                        ", which gave no frame at all"),
                List.of(
                        LabelJob.framesHad(0, 5, 25),
                        LabelJob.framesHad(50, -1, 50),
                        LabelJob.framesHad(-1, -1, -1)));
    }

    /** Why a run failed, and the teacher and the source as they describe themselves. */
    private record Failure(String message, String teacher, String source) {}

    /**
     * Labels 15 frames in which nothing moves into a VOC folder with the motion teacher, which must
     * fail.
     */
    private Failure labelFifteenStillFrames(int warmUp, Path voc) throws Exception {
        try (FrameSource source = frames(15);
                Teacher teacher = motion(warmUp);
                LabelJob.Sink sink = LabelJob.vocSink(voc, teacher.classes())) {
            TeacherException e =
                    assertThrows(
                            TeacherException.class, () -> run(source, teacher, sink, () -> false));
            return new Failure(e.getMessage(), teacher.description(), source.description());
        }
    }

    private static Teacher motion(int warmUp) {
        MotionTeacher.Settings d = MotionTeacher.Settings.defaults();
        return new MotionTeacher(
                new MotionTeacher.Settings(
                        d.algorithm(), d.history(), warmUp, d.minArea(), d.border(), "moving"));
    }

    @Test
    void shouldKeepEachFramesCaptureTimeSoThatEvaluateResetsWhereServeWould() throws Exception {
        // Given a camera's consecutive labelled frames in a topic, the third captured 5 s after
        // the second
        String topic = "capture-times";
        long[] times = {1_000, 1_040, 6_040, 6_080};
        try (TopicSink sink = topicSink(topic, LabelJob.Batching.WHOLE_RUN)) {
            for (int i = 0; i < times.length; i++) {
                byte[] labels = new byte[32 * 24];
                labels[0] = 1;
                sink.add(
                        "cam",
                        10 + i,
                        Instant.ofEpochMilli(times[i]),
                        new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR),
                        labels);
            }
            sink.commit();
        }
        // When they are read back as labelled data
        LabelledData read =
                TopicLabelledData.read(
                        new TopicLabelledData.Request(
                                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                                Topics.FRAMES_LABELLED.withName(topic),
                                "cam",
                                SequenceRange.ALL,
                                null,
                                0,
                                0,
                                TopicLabelledData.IDLE_LIMIT));
        // Then they are one sequence that keeps each frame's capture time
        assertEquals(List.of("cam:10"), read.sequences().stream().map(s -> s.id()).toList());
        assertArrayEquals(times, read.captureMs().get(0));
        // and serve's default gap starts a second seeded run at the third frame
        assertEquals(
                List.of(2, 2),
                read.seededRuns(2_000).get(0).stream().map(VideoSequence::size).toList());
    }

    private static final Duration HOUR = Duration.ofHours(1);

    private static LabelJob.Result run(
            FrameSource source, Teacher teacher, LabelJob.Sink sink, BooleanSupplier stop)
            throws Exception {
        return LabelJob.run(
                source,
                "cam",
                SequenceRange.ALL,
                teacher,
                sink,
                new PrintStream(new ByteArrayOutputStream()),
                stop);
    }

    private static List<Object> summary(LabelJob.Result r) {
        return List.of(r.framesRead(), r.framesLabelled(), r.framesWritten(), r.stopped());
    }

    private TopicSink topicSink(String topic, LabelJob.Batching batching) {
        kafka.broker().createTopic(topic, 1, Map.of());
        FramePublisher publisher =
                FramePublisher.builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .optTopic(Topics.FRAMES_LABELLED.withName(topic))
                        .optTransactionalId("label-job-test-" + topic)
                        .build();
        return new TopicSink(
                publisher, () -> LabelJob.metadata(CLASSES, "squares", "test"), batching);
    }

    /** The frames a read_committed consumer sees, waiting for {@code expected}. */
    private static int committed(String topic, int expected) {
        return TopicReader.readFromBeginning(
                        kafka.bootstrapServers(),
                        Topics.FRAMES_LABELLED.withName(topic),
                        expected,
                        Duration.ofSeconds(expected == 0 ? 3 : 20))
                .size();
    }

    private FrameSource frames(int count) throws Exception {
        Path folder =
                SquareFootage.writePngs(
                        Files.createTempDirectory(dir, "frames"),
                        count,
                        t -> new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR));
        return FrameSources.open(folder.toString(), false);
    }

    private static long count(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Labels a square as class 1 on every frame (or only background), failing on one frame. */
    private static final class Squares implements Teacher {
        private final boolean square;
        private final int failAt;
        private int frame;

        Squares(boolean square, int failAt) {
            this.square = square;
            this.failAt = failAt;
        }

        @Override
        public ClassTable classes() {
            return CLASSES;
        }

        @Override
        public String description() {
            return "squares";
        }

        @Override
        public Optional<byte[]> label(BufferedImage image) {
            if (frame++ == failAt) {
                throw new TeacherException("the teacher failed on frame " + failAt);
            }
            byte[] labels = new byte[image.getWidth() * image.getHeight()];
            if (square) {
                labels[5 * image.getWidth() + 5] = 1;
            }
            return Optional.of(labels);
        }

        @Override
        public void close() {}
    }
}
