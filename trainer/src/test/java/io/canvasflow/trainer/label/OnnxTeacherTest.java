package io.canvasflow.trainer.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.synthetic.ClassTable;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void shouldRefuseAFileThatIsNotAnOnnxModel() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        TeacherException e =
                assertThrows(TeacherException.class, () -> new OnnxTeacher(settings(junk, 0.5)));
        assertTrue(
                e.getMessage().startsWith("ONNX teacher " + junk + " does not load"),
                e.getMessage());
    }

    private static OnnxTeacher.Settings settings(Path model, double confidence) {
        return new OnnxTeacher.Settings(
                model, List.of("green", "red"), 0, 0, OnnxTeacher.Normalisation.UNIT, confidence);
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
