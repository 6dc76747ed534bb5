package io.canvasflow.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SyntheticVideoGeneratorTest {

    private static final int W = 128;
    private static final int H = 96;

    private final SyntheticVideoGenerator generator = new SyntheticVideoGenerator();

    @Test
    void shouldRenderIdenticalPixelsAndLabelsForTheSameSeed() {
        VideoSequence a = generator.generate(42, 3, W, H);
        VideoSequence b = new SyntheticVideoGenerator().generate(42, 3, W, H);

        for (int i = 0; i < 3; i++) {
            assertArrayEquals(pixels(a.frame(i)), pixels(b.frame(i)), "pixels of frame " + i);
            assertArrayEquals(a.frame(i).labels(), b.frame(i).labels(), "labels of frame " + i);
        }
        assertEquals(a.id(), b.id());
    }

    @Test
    void shouldRenderDifferentScenesForDifferentSeeds() {
        LabeledFrame a = generator.generateFrame(1, W, H);
        LabeledFrame b = generator.generateFrame(2, W, H);

        assertFalse(Arrays.equals(a.labels(), b.labels()));
        assertTrue(meanAbsoluteDifference(a, b) > 10, "different scenes should look different");
    }

    @Test
    void shouldMatchTheStillWithTheFirstFrameOfItsSequence() {
        LabeledFrame still = generator.generateFrame(7, W, H);
        LabeledFrame first = generator.generate(7, 2, W, H).frame(0);

        assertArrayEquals(pixels(still), pixels(first));
        assertArrayEquals(still.labels(), first.labels());
    }

    @Test
    void shouldRenderTheRequestedSizeAsIntRgb() {
        for (int[] size : new int[][] {{64, 48}, {256, 192}, {200, 120}}) {
            LabeledFrame f = generator.generateFrame(3, size[0], size[1]);

            assertEquals(size[0], f.width());
            assertEquals(size[1], f.height());
            assertEquals(size[0], f.image().getWidth());
            assertEquals(size[1], f.image().getHeight());
            assertEquals(BufferedImage.TYPE_INT_RGB, f.image().getType());
        }
    }

    @Test
    void shouldLabelOnlyTheSixSyntheticClasses() {
        for (long seed = 0; seed < 12; seed++) {
            int[] hist = generator.generateFrame(seed, W, H).labelHistogram();
            for (int v = SyntheticVideoGenerator.CLASSES.size(); v < 256; v++) {
                assertEquals(0, hist[v], "seed " + seed + " has label " + v);
            }
        }
    }

    @Test
    void shouldShowEveryClassAcrossAFewSequences() {
        long[] pixels = new long[256];
        for (long seed = 0; seed < 4; seed++) {
            for (LabeledFrame f : generator.generate(seed, 4, W, H).frames()) {
                int[] hist = f.labelHistogram();
                for (int v = 0; v < 256; v++) {
                    pixels[v] += hist[v];
                }
            }
        }
        long total = 4L * 4 * W * H;
        for (int c = 0; c < SyntheticVideoGenerator.CLASSES.size(); c++) {
            assertTrue(
                    pixels[c] > total / 200,
                    SyntheticVideoGenerator.CLASSES.name(c)
                            + " covers only "
                            + pixels[c]
                            + " of "
                            + total
                            + " pixels");
        }
    }

    @Test
    void shouldMoveTheCameraSoConsecutiveFramesAreSimilarButNotIdentical() {
        for (long seed = 10; seed < 15; seed++) {
            VideoSequence s = generator.generate(seed, 2, W, H);
            LabeledFrame a = s.frame(0);
            LabeledFrame b = s.frame(1);

            assertFalse(
                    Arrays.equals(a.labels(), b.labels()),
                    "seed " + seed + ": labels did not change");
            assertTrue(
                    labelAgreement(a, b) > 0.7,
                    "seed " + seed + ": consecutive labels too different");
            double diff = meanAbsoluteDifference(a, b);
            assertTrue(diff > 0.5 && diff < 40, "seed " + seed + ": mean difference " + diff);
        }
    }

    @Test
    void shouldLetObjectsEnterAndLeaveTheView() {
        int changed = 0;
        for (long seed = 20; seed < 28; seed++) {
            List<LabeledFrame> frames = generator.generate(seed, 32, W, H).frames();
            int[] first = frames.get(0).labelHistogram();
            int[] last = frames.get(frames.size() - 1).labelHistogram();
            if (relativeChange(first[StreetLabels.VEHICLE], last[StreetLabels.VEHICLE]) > 0.15
                    || relativeChange(first[StreetLabels.PERSON], last[StreetLabels.PERSON])
                            > 0.15) {
                changed++;
            }
        }
        assertTrue(
                changed >= 6,
                "only " + changed + " of 8 sequences changed their vehicle or person area");
    }

    private static double relativeChange(int a, int b) {
        return Math.abs(a - b) / (double) Math.max(1, Math.max(a, b));
    }

    /**
     * The best classifier that sees only a pixel's colour (a Bayes classifier on a 16^3 colour
     * histogram, fitted on other scenes) must stay far from perfect: context has to matter.
     */
    @Test
    void shouldOverlapClassColoursSoColourAloneCannotSegment() {
        int classes = SyntheticVideoGenerator.CLASSES.size();
        long[][] hist = new long[4096][classes];
        for (long seed = 1000; seed < 1040; seed++) {
            LabeledFrame f = generator.generateFrame(seed, W, H);
            int[] rgb = rgb(f.image());
            byte[] l = f.labels();
            for (int p = 0; p < rgb.length; p++) {
                hist[colourBin(rgb[p])][l[p]]++;
            }
        }
        long right = 0;
        long total = 0;
        for (long seed = 2000; seed < 2040; seed++) {
            LabeledFrame f = generator.generateFrame(seed, W, H);
            int[] rgb = rgb(f.image());
            byte[] l = f.labels();
            for (int p = 0; p < rgb.length; p++) {
                long[] h = hist[colourBin(rgb[p])];
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (h[c] > h[best]) {
                        best = c;
                    }
                }
                right += best == l[p] ? 1 : 0;
                total++;
            }
        }
        double accuracy = (double) right / total;
        assertTrue(accuracy < 0.75, "colour alone classifies " + accuracy + " of pixels");
    }

    @Test
    void shouldColorizeLabelsWithTheTableColoursAndIgnoreAsBlack() {
        byte[] labels = {0, 1, 2, 3, 4, 5, (byte) 255, 0};

        BufferedImage img = SyntheticVideoGenerator.colorize(labels, 4, 2, ClassTable.SYNTHETIC);

        for (int i = 0; i < 6; i++) {
            assertEquals(ClassTable.SYNTHETIC.color(i), img.getRGB(i % 4, i / 4) & 0xffffff);
        }
        assertEquals(0, img.getRGB(2, 1) & 0xffffff);
        assertThrows(
                IllegalArgumentException.class,
                () -> SyntheticVideoGenerator.colorize(labels, 3, 3, ClassTable.SYNTHETIC));
    }

    @Test
    void shouldRejectEmptySequencesAndTinyFrames() {
        assertThrows(IllegalArgumentException.class, () -> generator.generate(1, 0, W, H));
        assertThrows(IllegalArgumentException.class, () -> generator.generateFrame(1, 8, 8));
    }

    /**
     * Writes frames with their colourised labels to target/synthetic-samples for eyeballing, and
     * the measured generation time per frame next to them.
     */
    @Test
    void shouldWriteASampleStripForEyeballing() throws IOException {
        int w = 256;
        int h = 192;
        int scenes = 4;
        int[] at = {0, 6, 12};
        BufferedImage strip =
                new BufferedImage(w * at.length * 2, h * scenes, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = strip.createGraphics();
        for (int s = 0; s < scenes; s++) {
            VideoSequence seq =
                    generator.generate(SyntheticDataset.seedFor(Split.VALIDATION, s), 13, w, h);
            for (int i = 0; i < at.length; i++) {
                LabeledFrame f = seq.frame(at[i]);
                g.drawImage(f.image(), 2 * i * w, s * h, null);
                g.drawImage(
                        SyntheticVideoGenerator.colorize(f.labels(), w, h, ClassTable.SYNTHETIC),
                        (2 * i + 1) * w,
                        s * h,
                        null);
            }
        }
        g.dispose();
        Path dir = Files.createDirectories(Path.of("target", "synthetic-samples"));
        Path png = dir.resolve("strip.png");
        ImageIO.write(strip, "png", png.toFile());

        List<String> timing = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            generator.generateFrame(7000 + i, w, h); // warm up the JIT
        }
        // CPU time of this thread: the machine is shared, so wall time says little.
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long t0 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < 10; i++) {
            generator.generate(5000 + i, 8, w, h);
        }
        long t1 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < 20; i++) {
            generator.generateFrame(6000 + i, w, h);
        }
        long t2 = cpu.getCurrentThreadCpuTime();
        timing.add(
                String.format("sequence frames 256x192: %.2f CPU ms/frame", (t1 - t0) / 1e6 / 80));
        timing.add(
                String.format(
                        "stills (a new scene each) 256x192: %.2f CPU ms/frame",
                        (t2 - t1) / 1e6 / 20));
        Files.write(dir.resolve("timing.txt"), timing);

        assertTrue(Files.size(png) > 10_000);
    }

    private static int colourBin(int rgb) {
        return ((rgb >> 20) & 0xf) << 8 | ((rgb >> 12) & 0xf) << 4 | ((rgb >> 4) & 0xf);
    }

    static int[] pixels(LabeledFrame f) {
        return f.image().getRGB(0, 0, f.width(), f.height(), null, 0, f.width());
    }

    private static double meanAbsoluteDifference(LabeledFrame a, LabeledFrame b) {
        int[] pa = pixels(a);
        int[] pb = pixels(b);
        long sum = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs(((pa[i] >> shift) & 0xff) - ((pb[i] >> shift) & 0xff));
            }
        }
        return sum / (3.0 * pa.length);
    }

    private static double labelAgreement(LabeledFrame a, LabeledFrame b) {
        byte[] la = a.labels();
        byte[] lb = b.labels();
        int same = 0;
        for (int i = 0; i < la.length; i++) {
            same += la[i] == lb[i] ? 1 : 0;
        }
        return (double) same / la.length;
    }

    private static int[] rgb(java.awt.image.BufferedImage img) {
        int[] out = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xffffff;
        }
        return out;
    }
}
