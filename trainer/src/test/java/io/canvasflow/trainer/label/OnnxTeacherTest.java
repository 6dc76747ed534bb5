package io.canvasflow.trainer.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.testsupport.CommandRun;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The onnx: teacher on models the test writes itself. */
class OnnxTeacherTest {

    @TempDir Path dir;

    /** Channel 0 scores green minus red, channel 1 red minus green: red pixels are class 1. */
    private static final float[][] RED_VS_GREEN = {{-4, 4, 0}, {4, -4, 0}};

    @Test
    void shouldLabelEachPixelWithTheHighestScoringClass() throws Exception {
        Path model = Files.write(dir.resolve("red.onnx"), OnnxGraphs.conv1x1(RED_VS_GREEN, false));
        try (OnnxTeacher teacher = new OnnxTeacher(settings(model, 0.5))) {
            byte[] labels = teacher.label(frame()).orElseThrow();
            assertEquals(1, labels[10 * 32 + 5], "red pixel");
            assertEquals(0, labels[10 * 32 + 25], "green pixel");
            // A grey pixel scores 0 for both classes: probability 0.5 is not above... it is the
            // threshold itself, so it is kept; with a stricter threshold it is ignored.
        }
        try (OnnxTeacher strict = new OnnxTeacher(settings(model, 0.9))) {
            byte[] labels = strict.label(frame()).orElseThrow();
            assertEquals((byte) ClassTable.IGNORE_LABEL, labels[30 * 32 + 16], "grey pixel");
            assertEquals(1, labels[10 * 32 + 5]);
        }
    }

    /**
     * Five classes: red pixels score high for class 1, green ones for class 0, grey ones the same
     * for all five. Read as logits again, a Softmax's probabilities give no class more than e/(e+4)
     * = 0.40.
     */
    private static final float[][] FIVE_CLASSES = {
        {-4, 4, 0}, {4, -4, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}
    };

    private static final List<String> FIVE_NAMES = List.of("green", "red", "a", "b", "c");

    @Test
    void shouldLabelWithAModelEndingInSoftmaxWhatTheSameModelsLogitsLabel() throws Exception {
        // Given a model that gives logits, and the same model ending in Softmax(axis=1)
        Path logits =
                Files.write(dir.resolve("logits.onnx"), OnnxGraphs.conv1x1(FIVE_CLASSES, false));
        Path softmax =
                Files.write(dir.resolve("softmax.onnx"), OnnxGraphs.conv1x1Softmax(FIVE_CLASSES));
        // When each labels the frame at the default --min-confidence 0.5, its output read as auto
        // decides
        byte[] fromLogits;
        byte[] fromSoftmax;
        try (OnnxTeacher teacher = new OnnxTeacher(five(logits, OnnxOutput.AUTO, 0.5))) {
            fromLogits = teacher.label(frame()).orElseThrow();
        }
        try (OnnxTeacher teacher = new OnnxTeacher(five(softmax, OnnxOutput.AUTO, 0.5))) {
            fromSoftmax = teacher.label(frame()).orElseThrow();
            // Then the Softmax's output was read as probabilities, and the lineage says so
            assertTrue(
                    teacher.description().contains(",output=auto:probabilities,"),
                    teacher.description());
        }
        // And both label alike: red as red, green as green, grey (0.2 each) ignored
        assertArrayEquals(fromLogits, fromSoftmax);
        assertEquals(
                List.of(1, 0, ClassTable.IGNORE_LABEL),
                List.of(
                        Byte.toUnsignedInt(fromSoftmax[10 * 32 + 5]),
                        Byte.toUnsignedInt(fromSoftmax[10 * 32 + 25]),
                        Byte.toUnsignedInt(fromSoftmax[30 * 32 + 16])));
    }

    @Test
    void shouldReadTheOutputAsTeacherOutputSaysWhenGiven() throws Exception {
        // Given a model ending in Softmax, read as logits as --teacher-output logits asks
        Path softmax =
                Files.write(dir.resolve("softmax.onnx"), OnnxGraphs.conv1x1Softmax(FIVE_CLASSES));
        try (OnnxTeacher teacher = new OnnxTeacher(five(softmax, OnnxOutput.LOGITS, 0.5))) {
            // Then its softmax is taken again, and no pixel is sure enough
            byte[] labels = teacher.label(frame()).orElseThrow();
            byte[] ignored = new byte[labels.length];
            java.util.Arrays.fill(ignored, (byte) ClassTable.IGNORE_LABEL);
            assertArrayEquals(ignored, labels);
        }
        // Given a model whose scores lie within 0..1 without summing to 1 (sigmoid-like): auto
        // reads logits, whose softmax gives a red pixel 0.69; taken as probabilities it is 0.8
        Path sigmoid =
                Files.write(
                        dir.resolve("sigmoid.onnx"),
                        OnnxGraphs.conv1x1(new float[][] {{0, 0.8f, 0}, {0.8f, 0, 0}}, false));
        try (OnnxTeacher auto = new OnnxTeacher(settings(sigmoid, OnnxOutput.AUTO, 0.75));
                OnnxTeacher probabilities =
                        new OnnxTeacher(settings(sigmoid, OnnxOutput.PROBABILITIES, 0.75))) {
            assertEquals(
                    ClassTable.IGNORE_LABEL, auto.label(frame()).orElseThrow()[10 * 32 + 5] & 0xff);
            assertEquals(1, probabilities.label(frame()).orElseThrow()[10 * 32 + 5]);
        }
        // And logits said to be probabilities are refused in one sentence
        Path logits = Files.write(dir.resolve("red.onnx"), OnnxGraphs.conv1x1(RED_VS_GREEN, false));
        try (OnnxTeacher teacher =
                new OnnxTeacher(settings(logits, OnnxOutput.PROBABILITIES, 0.5))) {
            TeacherException e = assertThrows(TeacherException.class, () -> teacher.label(frame()));
            assertEquals(
                    "ONNX teacher "
                            + logits
                            + " gives scores outside 0..1, which are not probabilities; give"
                            + " --teacher-output logits or auto",
                    e.getMessage());
        }
    }

    @Test
    void shouldLabelThroughASoftmaxModelAtTheDefaultMinConfidence() throws Exception {
        // Given a five-class model ending in Softmax
        Path softmax =
                Files.write(dir.resolve("softmax.onnx"), OnnxGraphs.conv1x1Softmax(FIVE_CLASSES));
        // When label runs it with the defaults
        Path voc = dir.resolve("voc");
        CommandRun run = label(softmax, "green,red,a,b,c", "--voc", voc.toString());
        // Then it labels red and green (not a refusal that every pixel is background)
        assertEquals(0, run.exit(), run.err());
        assertTrue(
                run.out()
                        .contains(
                                "green 25.00%, red 25.00%, a 0.00%, b 0.00%, c 0.00%, ignored 50.00%"),
                run.out());
        assertTrue(Files.isRegularFile(voc.resolve("class_names.txt")));
    }

    @Test
    void shouldSayThatEveryPixelWasUnsureNotBackground() throws Exception {
        // Given a five-class model ending in Softmax, read as logits
        Path softmax =
                Files.write(dir.resolve("softmax.onnx"), OnnxGraphs.conv1x1Softmax(FIVE_CLASSES));
        Path voc = dir.resolve("voc");
        CommandRun run =
                label(
                        softmax,
                        "green,red,a,b,c",
                        "--voc",
                        voc.toString(),
                        "--teacher-output",
                        "logits");
        // Then the refusal names the threshold and the option, not the footage
        assertEquals(2, run.exit(), run.err());
        assertEquals(
                "canvasflow label: teacher "
                        + description(softmax, "frame", 5, "logits")
                        + " was unsure of every pixel of the 1 frames of "
                        + dir.resolve("frames")
                        + " (0-), each given the ignore label: its top class's probability was"
                        + " under --min-confidence 0.50 everywhere, its output read as logits;"
                        + " give a lower --min-confidence, or --teacher-output probabilities if"
                        + " the model gives probabilities (ends in a Softmax); nothing was written",
                run.err().strip());
        assertFalse(Files.exists(voc));
    }

    @Test
    void shouldRefuseAModelWhoseOutputIsNotAPerPixelScoreMap() throws Exception {
        Path flat = Files.write(dir.resolve("flat.onnx"), OnnxGraphs.conv1x1(RED_VS_GREEN, true));
        try (OnnxTeacher teacher = new OnnxTeacher(settings(flat, 0.5))) {
            TeacherException e = assertThrows(TeacherException.class, () -> teacher.label(frame()));
            assertTrue(
                    e.getMessage().contains("must give a per-pixel class score map (1, 2, H, W)"),
                    e.getMessage());
        }
        Path three =
                Files.write(
                        dir.resolve("three.onnx"),
                        OnnxGraphs.conv1x1(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, false));
        try (OnnxTeacher teacher = new OnnxTeacher(settings(three, 0.5))) {
            TeacherException e = assertThrows(TeacherException.class, () -> teacher.label(frame()));
            assertTrue(e.getMessage().contains("shape (1, 3, 48, 32)"), e.getMessage());
        }
    }

    @Test
    void shouldFeedAModelOfAFixedInputSizeFramesResizedToIt() throws Exception {
        // Given a model exported for 16x24 images only, and a 32x48 frame
        Path model =
                Files.write(
                        dir.resolve("fixed.onnx"), OnnxGraphs.conv1x1Fixed(RED_VS_GREEN, 16, 24));
        // When it labels the frame without --teacher-size
        try (OnnxTeacher teacher = new OnnxTeacher(settings(model, 0.5))) {
            byte[] labels = teacher.label(frame()).orElseThrow();
            // Then the frame was fed at the model's size, and the labels are the frame's size
            // (fed at the frame's own, ONNX Runtime failed with a dump of its own)
            assertEquals(32 * 48, labels.length);
            assertEquals(1, labels[10 * 32 + 5], "red pixel");
            assertEquals(0, labels[10 * 32 + 25], "green pixel");
        }
        // And the fixed size given as --teacher-size is taken too
        try (OnnxTeacher teacher = new OnnxTeacher(settings(model, 16, 24))) {
            assertEquals(1, teacher.label(frame()).orElseThrow()[10 * 32 + 5]);
        }
    }

    @Test
    void shouldRefuseATeacherSizeThatDiffersFromTheModelsFixedSize() throws Exception {
        // Given a model exported for 16x24 images only
        Path model =
                Files.write(
                        dir.resolve("fixed.onnx"), OnnxGraphs.conv1x1Fixed(RED_VS_GREEN, 16, 24));
        String sentence =
                "--teacher-size 32x48 does not fit ONNX teacher "
                        + model
                        + ", whose input x has shape (1, 3, 24, 16); give --teacher-size 16x24 or"
                        + " leave it out";
        // When it is asked to run at another size, Then that is one sentence as it loads
        TeacherException e =
                assertThrows(
                        TeacherException.class, () -> new OnnxTeacher(settings(model, 32, 48)));
        assertEquals(sentence, e.getMessage());
        // And label says it alone and exits 2, writing nothing
        assertLabelRefuses(sentence, model, "--teacher-size", "32x48");
    }

    @Test
    void shouldRefuseAModelWhoseInputIsNotOneFloatImage() {
        // (a model's declared input, as ONNX Runtime reads it)
        Path file = dir.resolve("bytes.onnx");
        OnnxInput bytes = new OnnxInput(file, "img", OnnxJavaType.UINT8, new long[] {1, 3, -1, -1});
        TeacherException e = assertThrows(TeacherException.class, bytes::check);
        assertEquals(
                "ONNX teacher "
                        + file
                        + " takes input img of type UINT8 and shape (1, 3, ?, ?); a teacher must"
                        + " take one float (1, 3, H, W) image",
                e.getMessage());
        OnnxInput gray = new OnnxInput(file, "img", OnnxJavaType.FLOAT, new long[] {1, 1, 64, 64});
        assertThrows(TeacherException.class, gray::check);
        new OnnxInput(file, "img", OnnxJavaType.FLOAT, new long[] {-1, 3, -1, 64}).check();
    }

    @Test
    void shouldRefuseAFileThatIsNotAnOnnxModelInOneSentence() throws Exception {
        // Given a file that is not an ONNX model
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        String sentence =
                "ONNX teacher "
                        + junk
                        + " does not load: Load model from "
                        + junk
                        + " failed:Protobuf parsing failed.";
        // When it is loaded as a teacher, Then that is one sentence naming the file
        TeacherException e =
                assertThrows(TeacherException.class, () -> new OnnxTeacher(settings(junk, 0.5)));
        assertEquals(sentence, e.getMessage());
        // And label says that sentence alone and exits 2, writing nothing
        assertLabelRefuses(sentence, junk);
    }

    /**
     * Labels one frame into a VOC folder with this model as the teacher, and checks that label says
     * the sentence alone on stderr (no WARN of DJL's before it, of a repository or of a CUDA it
     * looked for on a machine without one), exits 2 and writes nothing.
     */
    private void assertLabelRefuses(String sentence, Path model, String... more) throws Exception {
        Path voc = dir.resolve("voc");
        List<String> args = new java.util.ArrayList<>(List.of("--voc", voc.toString()));
        args.addAll(List.of(more));
        CommandRun run = label(model, "green,red", args.toArray(String[]::new));
        assertEquals(2, run.exit(), run.err());
        assertEquals("canvasflow label: " + sentence, run.err().strip());
        assertFalse(Files.exists(voc));
    }

    /**
     * What labelled frames record of an ONNX teacher with these settings, UNIT-normalised and
     * stretching frames.
     */
    static String description(Path model, String size, int classes, String output)
            throws Exception {
        return description(model, size, classes, "unit", output, "stretch");
    }

    /** What labelled frames record of an ONNX teacher with these settings. */
    static String description(
            Path model, String size, int classes, String normalise, String output, String resize)
            throws Exception {
        String sha256 =
                HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(Files.readAllBytes(model)));
        return "onnx:"
                + model.toAbsolutePath()
                + "(sha256="
                + sha256.substring(0, 12)
                + ",size="
                + size
                + ",classes="
                + classes
                + ",normalise="
                + normalise
                + ",output="
                + output
                + ",minConfidence=0.50,resize="
                + resize
                + ")";
    }

    /** Runs label on a folder of one {@link #frame()} with this model and these classes. */
    private CommandRun label(Path model, String classes, String... more) throws Exception {
        Path frames = dir.resolve("frames");
        if (!Files.isDirectory(frames)) {
            Files.createDirectories(frames);
            ImageIO.write(frame(), "png", frames.resolve("f0.png").toFile());
        }
        List<String> args = new java.util.ArrayList<>(List.of("--source", frames.toString()));
        args.addAll(onnxTeacher(model, classes));
        args.addAll(List.of(more));
        return CommandRun.of(new LabelCommand(), args.toArray(String[]::new));
    }

    /** label's options for this model of these classes as the teacher, fed values in 0..1. */
    static List<String> onnxTeacher(Path model, String classes) {
        return List.of(
                "--teacher",
                "onnx:" + model,
                "--teacher-classes",
                classes,
                "--teacher-normalise",
                "unit");
    }

    private static OnnxTeacher.Settings settings(Path model, double confidence) {
        return settings(model, OnnxOutput.AUTO, confidence);
    }

    private static OnnxTeacher.Settings settings(Path model, OnnxOutput output, double confidence) {
        return settings(model, List.of("green", "red"), 0, 0, output, confidence);
    }

    /** The five-class model's. */
    private static OnnxTeacher.Settings five(Path model, OnnxOutput output, double confidence) {
        return settings(model, FIVE_NAMES, 0, 0, output, confidence);
    }

    /** At the size {@code --teacher-size WxH} gives. */
    private static OnnxTeacher.Settings settings(Path model, int width, int height) {
        return settings(model, List.of("green", "red"), width, height, OnnxOutput.AUTO, 0.5);
    }

    /** Stretched to {@code width}x{@code height} (0x0: the model's own size), inputs 0..1. */
    private static OnnxTeacher.Settings settings(
            Path model,
            List<String> classes,
            int width,
            int height,
            OnnxOutput output,
            double confidence) {
        return new OnnxTeacher.Settings(
                model,
                classes,
                width,
                height,
                OnnxResize.STRETCH,
                Normalisation.UNIT,
                output,
                confidence);
    }

    /** 32x48: a red left half, a green right half, a grey bottom band. */
    static BufferedImage frame() {
        BufferedImage f = new BufferedImage(32, 48, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = f.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 16, 24);
        g.setColor(Color.GREEN);
        g.fillRect(16, 0, 16, 24);
        g.setColor(Color.GRAY);
        g.fillRect(0, 24, 32, 24);
        g.dispose();
        return f;
    }
}
