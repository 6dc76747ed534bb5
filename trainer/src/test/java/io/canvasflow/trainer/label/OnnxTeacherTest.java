package io.canvasflow.trainer.label;

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
        Path frames = Files.createDirectories(dir.resolve("frames"));
        ImageIO.write(frame(), "png", frames.resolve("f0.png").toFile());
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--source",
                                frames.toString(),
                                "--teacher",
                                "onnx:" + model,
                                "--teacher-classes",
                                "green,red",
                                "--voc",
                                voc.toString()));
        args.addAll(List.of(more));
        CommandRun run = CommandRun.of(new LabelCommand(), args.toArray(String[]::new));
        assertEquals(2, run.exit(), run.err());
        assertEquals("canvasflow label: " + sentence, run.err().strip());
        assertFalse(Files.exists(voc));
    }

    private static OnnxTeacher.Settings settings(Path model, double confidence) {
        return new OnnxTeacher.Settings(
                model, List.of("green", "red"), 0, 0, OnnxTeacher.Normalisation.UNIT, confidence);
    }

    /** At the size {@code --teacher-size WxH} gives. */
    private static OnnxTeacher.Settings settings(Path model, int width, int height) {
        return new OnnxTeacher.Settings(
                model, List.of("green", "red"), width, height, OnnxTeacher.Normalisation.UNIT, 0.5);
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
