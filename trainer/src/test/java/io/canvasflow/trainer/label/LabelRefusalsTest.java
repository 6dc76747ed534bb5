package io.canvasflow.trainer.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.trainer.SquareFootage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code canvasflow label}: options it refuses before a teacher loads or anything is written (no
 * broker needed: each refusal comes first).
 */
class LabelRefusalsTest {

    @TempDir Path dir;

    private Path frames;

    @BeforeEach
    void frames() throws Exception {
        // 20 frames of 64x48: a grey street, and from frame 8 on a square that moves, which the
        // motion teacher labels after a warm-up of 5
        frames =
                SquareFootage.writePngs(dir.resolve("frames"), 20, t -> SquareFootage.street(t, 8));
    }

    @Test
    void shouldRefuseAnInvalidNormalisationForAnOnnxTeacher() {
        // When an onnx teacher is given a normalisation no teacher knows
        CommandRun run = onnx("--teacher-normalise", "foo");
        // Then that is said (before its file is even read), and nothing is written
        assertRefused(run, normaliseSentence("foo"));
    }

    @Test
    void shouldRefuseAMalformedCustomNormalisation() {
        // When an onnx teacher is given a mean/std of two channels, a std of 0, a NaN, or a
        // mean without a std
        for (String value :
                List.of(
                        "0.5,0.5/0.5,0.5",
                        "0.5,0.5,0.5/0.5,0,0.5",
                        "NaN,0,0/1,1,1",
                        "0.5,0.5,0.5",
                        "0,0,0/-1,1,1")) {
            // Then each is one sentence naming the option and the form to give, before its file
            // is read, and nothing is written
            assertRefused(onnx("--teacher-normalise", value), normaliseSentence(value));
        }
    }

    private static String normaliseSentence(String value) {
        return "--teacher-normalise must be imagenet, unit or a mean/std R,G,B/R,G,B on the 0..1"
                + " scale, every number finite and every std above 0 (0.5,0.5,0.5/0.5,0.5,0.5 for"
                + " a model trained on -1..1 input), got "
                + value;
    }

    @Test
    void shouldRefuseAnUnknownResizeAndItsUseWithTheMotionTeacher() {
        // When an onnx teacher is told to resize frames a way it does not know
        CommandRun run = onnx("--teacher-resize", "crop");
        // Then that is said before its file is read, and nothing is written
        assertRefused(run, "--teacher-resize must be stretch or fit, got crop");
        // And the motion teacher, which feeds no model, is refused the option
        assertRefused(
                label("--teacher-resize", "fit"),
                "--teacher-resize is only for an onnx:FILE teacher; leave it out with"
                        + " --teacher motion");
    }

    @Test
    void shouldRefuseAnUnknownTeacherOutputAndItsUseWithTheMotionTeacher() {
        // When an onnx teacher is told its output is something no teacher reads
        CommandRun run = onnx("--teacher-output", "scores");
        // Then that is said before its file is read, and nothing is written
        assertRefused(run, "--teacher-output must be auto, logits or probabilities, got scores");
        // And the motion teacher, which has no such output, is refused the option
        assertRefused(
                label("--teacher-output", "logits"),
                "--teacher-output is only for an onnx:FILE teacher; leave it out with"
                        + " --teacher motion");
    }

    @Test
    void shouldRefuseANormalisationForTheMotionTeacherWhateverItsValue() {
        // When the motion teacher is given a normalisation, one no teacher knows
        CommandRun run = label("--teacher-normalise", "foo");
        // Then it is refused as an option the motion teacher does not read (it was told the value
        // must be imagenet or unit, which it would ignore all the same)
        assertRefused(
                run,
                "--teacher-normalise is only for an onnx:FILE teacher; leave it out with"
                        + " --teacher motion");
    }

    @Test
    void shouldRefuseTheOptionsOfTheOtherTeacher() {
        // When the motion teacher is given an onnx teacher's options
        CommandRun onnxOptions = label("--teacher-normalise", "unit", "--min-confidence", "0.7");
        // Then they are named, and nothing is written
        assertRefused(
                onnxOptions,
                "--teacher-normalise, --min-confidence are only for an onnx:FILE teacher; leave"
                        + " them out with --teacher motion");

        // And an onnx teacher is refused the motion teacher's (before its file is even read)
        CommandRun motionOptions =
                label("--teacher", "onnx:" + dir.resolve("teacher.onnx"), "--moving-class", "car");
        assertRefused(
                motionOptions,
                "--moving-class, --warm-up, --min-area are only for the motion teacher; leave them out with"
                        + " --teacher onnx:"
                        + dir.resolve("teacher.onnx"));
    }

    @Test
    void shouldRefuseATopicNameKafkaWouldRefuseBeforeAskingTheCluster() {
        CommandRun run =
                CommandRun.of(
                        new LabelCommand(),
                        "--source",
                        frames.toString(),
                        "--to-topic",
                        "bad name!",
                        "--bootstrap-servers",
                        "127.0.0.1:1");
        assertEquals(2, run.exit(), run.err());
        assertTrue(
                run.err().contains("--to-topic")
                        && run.err().contains("'bad name!' contains one or more characters"),
                run.err());
        assertFalse(run.err().contains("127.0.0.1:1"), run.err());
    }

    @Test
    void shouldRefuseABlankCameraIdForAFolderAsForATopic() throws Exception {
        java.util.function.Function<String, String> sentence =
                id ->
                        "--camera: the id '"
                                + id
                                + "' is blank; give the id the camera's frames are published"
                                + " under";
        // When a VOC folder is labelled for a blank camera (its files were named _000002.jpg)
        assertRefused(label("--camera", " "), sentence.apply(" "));
        // And a topic is (it was refused at the first frame, after the topic was made), before
        // the cluster is asked
        List<String> args =
                List.of(
                        "--source",
                        frames.toString(),
                        "--camera",
                        "",
                        "--to-topic",
                        "labelled",
                        "--bootstrap-servers",
                        "127.0.0.1:1");
        CommandRun topic = CommandRun.of(new LabelCommand(), args.toArray(String[]::new));
        assertEquals(2, topic.exit(), topic.err());
        assertEquals("canvasflow label: " + sentence.apply(""), topic.err().strip());
        // And with a camera id the same run writes the folder, each file named after the camera
        CommandRun named = label("--camera", "cam");
        assertEquals(0, named.exit(), named.err());
        try (var images = Files.list(dir.resolve("voc/JPEGImages"))) {
            List<String> names = images.map(p -> p.getFileName().toString()).toList();
            assertFalse(names.isEmpty());
            assertTrue(names.stream().allMatch(n -> n.startsWith("cam_")), names.toString());
        }
    }

    @Test
    void shouldRefuseACameraIdThatIsAPathForAFolder() throws Exception {
        // (camera ../../x wrote its images beside the folder, outside it)
        assertRefused(
                label("--camera", "../../x"),
                "--camera: the id '../../x' names the files of the --voc folder and cannot hold"
                        + " / or \\; give an id without them");
        try (var left = Files.list(dir)) {
            assertTrue(
                    left.noneMatch(p -> p.getFileName().toString().startsWith("x_")),
                    "images were written outside the folder");
        }
    }

    @Test
    void shouldRefuseAMovingClassNamedAsTheBackground() {
        // When the moving class is called background, the motion teacher's first class
        CommandRun run = label("--moving-class", "background");
        // Then that is said, and nothing is written (two classes named background were written,
        // trained and scored: the moving class was read as the first and vanished)
        assertRefused(
                run,
                "the moving class (--moving-class) cannot be 'background': class name"
                        + " 'background' is given twice, and each class needs a name of its own");
    }

    @Test
    void shouldRefuseAMovingClassNameThatLabelledFramesCannotCarry() {
        // When the moving class holds a comma, which separates the names labelled frames carry
        CommandRun comma = label("--moving-class", "a,b");
        // Then it is refused for a folder as for a topic (a folder's class_names.txt carried it)
        assertRefused(
                comma,
                "the moving class (--moving-class) cannot be 'a,b': class name 'a,b' holds a"
                        + " comma, which separates the names");
        // And a space at its start, which reading the frames back drops, is refused as well
        CommandRun space = label("--moving-class", " person");
        assertRefused(
                space,
                "the moving class (--moving-class) cannot be ' person': class name ' person'"
                        + " starts or ends with a space, which is dropped when it is read back");
    }

    @Test
    void shouldRefuseAnOnnxTeachersClassNamedTwiceBeforeItsFileIsRead() {
        // When an onnx teacher is given one class name twice
        CommandRun run = onnx("--teacher-classes", "car, car");
        // Then that is said (not that its file is missing), and nothing is written
        assertRefused(
                run,
                "the ONNX teacher's classes (--teacher-classes) cannot be [car, car]: class name"
                        + " 'car' is given twice, and each class needs a name of its own");
    }

    /** Labels the frames into a VOC folder with the motion teacher, as it labels them. */
    private CommandRun label(String... args) {
        return labelBy(SquareFootage.MOTION_TEACHER, args);
    }

    /** Labels the frames into a VOC folder with an ONNX teacher whose file is absent. */
    private CommandRun onnx(String... args) {
        return labelBy(List.of("--teacher", "onnx:" + dir.resolve("teacher.onnx")), args);
    }

    private CommandRun labelBy(List<String> teacher, String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "--source",
                                frames.toString(),
                                "--voc",
                                dir.resolve("voc").toString()));
        all.addAll(teacher);
        all.addAll(List.of(args));
        return CommandRun.of(new LabelCommand(), all.toArray(String[]::new));
    }

    private void assertRefused(CommandRun run, String sentence) {
        assertEquals(2, run.exit(), run.err());
        assertEquals("canvasflow label: " + sentence, run.err().strip());
        assertFalse(Files.exists(dir.resolve("voc")), "the --voc folder was written");
    }
}
