package io.canvasflow.trainer.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.testsupport.CommandRun;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the onnx: teacher feeds a frame to its model: fitted to a fixed size with its aspect ratio
 * kept ({@code --teacher-resize fit}), and normalised as {@code --teacher-normalise} says.
 */
class OnnxTeacherInputTest {

    @TempDir Path dir;

    /** Channel 0 scores green minus red, channel 1 red minus green: red pixels are class 1. */
    private static final float[][] RED_VS_GREEN = {{-4, 4, 0}, {4, -4, 0}};

    private static final byte RED = 1;
    private static final byte GREEN = 0;
    private static final byte IGNORE = (byte) ClassTable.IGNORE_LABEL;

    @Test
    void shouldFitAFrameOfAnotherAspectRatioIntoAFixedSizeModelAndLabelOnlyTheFrame()
            throws Exception {
        // Given a model exported for 16x16 images, and a wide and a tall frame of four quadrants.
        // Fitted, each is centred between two bands of padding, which is fed as 0: a black pixel,
        // whose two scores tie; at --min-confidence 0.9 a label read from padding is ignored
        Path model =
                Files.write(
                        dir.resolve("fixed.onnx"), OnnxGraphs.conv1x1Fixed(RED_VS_GREEN, 16, 16));
        try (OnnxTeacher teacher =
                new OnnxTeacher(settings(model, OnnxResize.FIT, Normalisation.UNIT, 0.9))) {
            for (BufferedImage frame : List.of(quadrants(32, 16), quadrants(16, 32))) {
                // When each is labelled
                byte[] labels = teacher.label(frame).orElseThrow();
                // Then its labels are its quadrants exactly, none read from the padding
                assertArrayEquals(
                        quadrantLabels(frame.getWidth(), frame.getHeight()),
                        labels,
                        frame.getWidth() + "x" + frame.getHeight());
            }
            // And the lineage says how frames were resized
            assertEquals(
                    OnnxTeacherTest.description(model, "16x16", 2, "unit", "auto:logits", "fit")
                            .replace("minConfidence=0.50", "minConfidence=0.90"),
                    teacher.description());
        }
    }

    @Test
    void shouldReadAFittedFrameFromTheCellsOfAScoreMapSmallerThanTheInput() throws Exception {
        // Given a model exported for 16x16 images whose scores are 4x4, each the mean over a 4x4
        // block, and a 32x24 frame, red left and green right. Fitted it is 16x12 at row 2, so
        // the map's top and bottom rows each average two rows of the frame with two of padding:
        // their scores are halved, and under --min-confidence 0.99 ignored
        Path model =
                Files.write(
                        dir.resolve("pooled.onnx"),
                        OnnxGraphs.conv1x1FixedPooled(RED_VS_GREEN, 16, 16, 4));
        BufferedImage frame = halves(32, 24);
        // When it is labelled fitted, and stretched
        byte[] fitted;
        byte[] stretched;
        try (OnnxTeacher fit =
                        new OnnxTeacher(settings(model, OnnxResize.FIT, Normalisation.UNIT, 0.99));
                OnnxTeacher stretch =
                        new OnnxTeacher(
                                settings(model, OnnxResize.STRETCH, Normalisation.UNIT, 0.99))) {
            fitted = fit.label(frame).orElseThrow();
            stretched = stretch.label(frame).orElseThrow();
        }
        // Then fitted, frame rows 0-3 lie under the map's top row and 20-23 under its bottom
        // one, ignored, and rows 4-19 under the two rows between, labelled; the padding-only
        // parts of the map are read by no pixel
        byte[] expected = new byte[32 * 24];
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                expected[y * 32 + x] = y < 4 || y >= 20 ? IGNORE : x < 16 ? RED : GREEN;
            }
        }
        assertArrayEquals(expected, fitted);
        // And stretched, every cell is the frame's alone, and every pixel is labelled
        byte[] halves = new byte[32 * 24];
        for (int p = 0; p < halves.length; p++) {
            halves[p] = p % 32 < 16 ? RED : GREEN;
        }
        assertArrayEquals(halves, stretched);
        // And label takes --teacher-resize fit, and labels the frame so
        CommandRun run = label(model, frame, "--teacher-resize", "fit", "--min-confidence", "0.99");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("green 33.33%, red 33.33%, ignored 33.33%"), run.out());
    }

    @Test
    void shouldPadAFittedFrameWithWhatTheMeanColourIsFedAs() {
        // Given a white 2x1 frame fitted into a 2x3 input, ImageNet-normalised
        BufferedImage white = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = white.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 2, 1);
        g.dispose();
        Letterbox box = Letterbox.of(OnnxResize.FIT, 2, 1, 2, 3);
        // When the model's input is made
        float[] fed = box.input(white, Normalisation.IMAGENET);
        // Then the frame is the middle row of each channel, and the rows above and below are 0,
        // the mean colour normalised (black, as a frame's pixels, would be -2.1 in red)
        float[] content =
                io.canvasflow.model.ImageTensors.toChw(
                        white, Normalisation.IMAGENET.mean(), Normalisation.IMAGENET.std());
        float[] expected = new float[3 * 6];
        for (int c = 0; c < 3; c++) {
            expected[c * 6 + 2] = content[c * 2];
            expected[c * 6 + 3] = content[c * 2 + 1];
        }
        assertEquals(new Letterbox(0, 1, 2, 1, 2, 3), box);
        assertArrayEquals(expected, fed);
    }

    @Test
    void shouldFeedTheModelTheCustomNormalisationAsked() throws Exception {
        // Given a model that calls a pixel bright (class 0) where its inputs sum above 0 and dark
        // (class 1) below, and a frame white on the left and dark grey (64) on the right
        Path model =
                Files.write(
                        dir.resolve("sign.onnx"),
                        OnnxGraphs.conv1x1(new float[][] {{4, 4, 4}, {-4, -4, -4}}, false));
        BufferedImage frame = new BufferedImage(8, 4, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = frame.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 4, 4);
        g.setColor(new Color(64, 64, 64));
        g.fillRect(4, 0, 4, 4);
        g.dispose();
        Normalisation minusOneToOne = Normalisation.parse("0.5,0.5,0.5/0.5,0.5,0.5");
        // When it is fed 0..1 (unit), and -1..1 (mean 0.5, std 0.5)
        byte[] unit;
        byte[] centred;
        String description;
        try (OnnxTeacher a =
                        new OnnxTeacher(
                                settings(model, OnnxResize.STRETCH, Normalisation.UNIT, 0.5));
                OnnxTeacher b =
                        new OnnxTeacher(settings(model, OnnxResize.STRETCH, minusOneToOne, 0.5))) {
            unit = a.label(frame).orElseThrow();
            centred = b.label(frame).orElseThrow();
            description = b.description();
        }
        // Then at 0..1 both halves are bright, and at -1..1 the dark grey (-0.5) is dark
        byte[] allBright = new byte[32];
        byte[] split = new byte[32];
        for (int p = 0; p < 32; p++) {
            split[p] = (byte) (p % 8 < 4 ? 0 : 1);
        }
        assertArrayEquals(allBright, unit);
        assertArrayEquals(split, centred);
        // And the lineage names the normalisation as given
        assertEquals(
                OnnxTeacherTest.description(
                        model, "frame", 2, "0.5;0.5;0.5/0.5;0.5;0.5", "auto:logits", "stretch"),
                description);
    }

    @Test
    void shouldReadACustomNormalisationsMeanAndStd() {
        // When raw 0..255 input is asked for (std 1/255), with spaces
        Normalisation raw = Normalisation.parse("0,0,0 / 0.00392157, 0.00392157,0.00392157");
        // Then the mean and std are the ones given, named without the spaces
        assertEquals(
                List.of(
                        "0;0;0/0.00392157;0.00392157;0.00392157",
                        "[0.0, 0.0, 0.0]",
                        "[0.00392157, 0.00392157, 0.00392157]"),
                List.of(raw.name(), Arrays.toString(raw.mean()), Arrays.toString(raw.std())));
        // And the presets are read by name
        assertEquals(Normalisation.IMAGENET, Normalisation.parse("imagenet"));
        assertEquals(Normalisation.UNIT, Normalisation.parse("unit"));
        // And a std so small that the inputs overflow a float is refused, naming the way out
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Normalisation.parse("0,0,0/1e-40,1,1"));
        assertEquals(
                "--teacher-normalise 0,0,0/1e-40,1,1 makes inputs too large for a float; give a"
                        + " std nearer 1 and a mean nearer 0..1 (0,0,0/0.00392157,0.00392157,"
                        + "0.00392157 feeds raw 0..255 values)",
                e.getMessage());
    }

    private static OnnxTeacher.Settings settings(
            Path model, OnnxResize resize, Normalisation normalisation, double confidence) {
        return new OnnxTeacher.Settings(
                model,
                List.of("green", "red"),
                0,
                0,
                resize,
                normalisation,
                OnnxOutput.AUTO,
                confidence);
    }

    /** Labels a folder of this one frame into a VOC folder, the model's classes green and red. */
    private CommandRun label(Path model, BufferedImage frame, String... more) throws Exception {
        Path frames = Files.createDirectories(dir.resolve("frames"));
        ImageIO.write(frame, "png", frames.resolve("f0.png").toFile());
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--source",
                                frames.toString(),
                                "--voc",
                                dir.resolve("voc").toString()));
        args.addAll(OnnxTeacherTest.onnxTeacher(model, "green,red"));
        args.addAll(List.of(more));
        return CommandRun.of(new LabelCommand(), args.toArray(String[]::new));
    }

    /** Red on the left half, green on the right. */
    private static BufferedImage halves(int width, int height) {
        BufferedImage f = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = f.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.GREEN);
        g.fillRect(width / 2, 0, width / 2, height);
        g.dispose();
        return f;
    }

    /** Red top-left and bottom-right quadrants, green top-right and bottom-left. */
    private static BufferedImage quadrants(int width, int height) {
        BufferedImage f = halves(width, height);
        Graphics2D g = f.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(0, height / 2, width / 2, height / 2);
        g.setColor(Color.RED);
        g.fillRect(width / 2, height / 2, width / 2, height / 2);
        g.dispose();
        return f;
    }

    /** What {@link #quadrants} are labelled, row-major. */
    private static byte[] quadrantLabels(int width, int height) {
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = (x < width / 2) == (y < height / 2) ? RED : GREEN;
            }
        }
        return out;
    }
}
