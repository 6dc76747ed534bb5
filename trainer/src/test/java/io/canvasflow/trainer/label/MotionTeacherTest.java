package io.canvasflow.trainer.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.trainer.SquareFootage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

class MotionTeacherTest {

    @Test
    void shouldLabelNothingDuringWarmUpAndAMovingSquareAfterIt() {
        MotionTeacher.Settings s = new MotionTeacher.Settings("mog2", 100, 5, 20, 1, "moving");
        try (MotionTeacher teacher = new MotionTeacher(s)) {
            int labelled = 0;
            byte[] last = null;
            for (int t = 0; t < 40; t++) {
                Optional<byte[]> labels = teacher.label(SquareFootage.street(t, 20));
                if (t < 5) {
                    assertTrue(labels.isEmpty(), "warm-up frame " + t + " was labelled");
                } else {
                    labelled++;
                    last = labels.orElseThrow();
                }
            }
            assertEquals(35, labelled);
            int[] counts = histogram(last);
            // The 12x16 square, less the ignored border band, is moving; the rest background.
            assertTrue(counts[MotionTeacher.MOVING] > 60, "moving pixels " + counts[1]);
            assertTrue(counts[MotionTeacher.MOVING] < 12 * 16, "moving pixels " + counts[1]);
            assertTrue(counts[ClassTable.IGNORE_LABEL] > 0, "no ignored border");
            assertEquals(MotionTeacher.BACKGROUND, last[2 * 64 + 50]);
        }
    }

    @Test
    void shouldRefuseAMovingClassThatLabelledFramesCouldNotCarry() {
        // When the moving class is named as the background is, or with a comma
        IllegalArgumentException background =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new MotionTeacher.Settings("mog2", 100, 5, 20, 1, "background"));
        IllegalArgumentException comma =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new MotionTeacher.Settings("mog2", 100, 5, 20, 1, "a,b"));
        // Then each is refused in one sentence (the first trained and scored two classes named
        // background, the moving one silently read as the first)
        assertEquals(
                "the moving class (--moving-class) cannot be 'background': class name"
                        + " 'background' is given twice, and each class needs a name of its own",
                background.getMessage());
        assertEquals(
                "the moving class (--moving-class) cannot be 'a,b': class name 'a,b' holds a"
                        + " comma, which separates the names",
                comma.getMessage());
    }

    /** Debian's opencv-doc street clip; .ci/run sets CANVASFLOW_VTEST. */
    @Test
    @EnabledIfEnvironmentVariable(named = "CANVASFLOW_VTEST", matches = ".+")
    void shouldLabelTheWalkingPeopleOfVtest() throws Exception {
        Path video = Path.of(System.getenv("CANVASFLOW_VTEST"));
        List<int[]> blobsPerFrame = new ArrayList<>();
        List<Integer> blobCounts = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
                Java2DFrameConverter converter = new Java2DFrameConverter();
                MotionTeacher teacher = new MotionTeacher(MotionTeacher.Settings.defaults())) {
            grabber.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < 80; i++) {
                Frame f = grabber.grabImage();
                BufferedImage image = copy(converter.convert(f));
                final int index = i;
                teacher.label(image)
                        .ifPresent(
                                l -> {
                                    blobsPerFrame.add(histogram(l));
                                    blobCounts.add(blobs(l, 768, 576, 200));
                                    if (index == 79 && System.getenv("DUMP") != null) {
                                        dump(image, l);
                                    }
                                });
            }
            System.out.printf("80 frames in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            grabber.stop();
        }
        assertEquals(50, blobsPerFrame.size());
        double meanMoving = 0;
        for (int[] h : blobsPerFrame) {
            meanMoving += (double) h[MotionTeacher.MOVING] / (768 * 576) / blobsPerFrame.size();
            System.out.printf(
                    "moving %.4f ignored %.4f%n", h[1] / (768.0 * 576), h[255] / (768.0 * 576));
        }
        // Three to six pedestrians of roughly 25x70 pixels walk through the 768x576 view (two
        // who stand still from the first frame on are background to a motion teacher).
        assertTrue(meanMoving > 0.004 && meanMoving < 0.05, "moving share " + meanMoving);
        for (int blobs : blobCounts) {
            assertTrue(blobs >= 2 && blobs <= 12, "moving blobs in a frame: " + blobs);
        }
    }

    static void dump(BufferedImage image, byte[] l) {
        BufferedImage out = copy(image);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int v = l[y * out.getWidth() + x] & 0xff;
                if (v == 1) out.setRGB(x, y, 0xff0000);
                if (v == 255) out.setRGB(x, y, 0xffff00);
            }
        }
        try {
            javax.imageio.ImageIO.write(out, "png", new java.io.File("/tmp/motion.png"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static BufferedImage copy(BufferedImage image) {
        BufferedImage out =
                new BufferedImage(
                        image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        out.getGraphics().drawImage(image, 0, 0, null);
        return out;
    }

    /** 4-connected blobs of moving pixels with at least {@code minArea} pixels. */
    static int blobs(byte[] labels, int w, int h, int minArea) {
        boolean[] seen = new boolean[labels.length];
        int count = 0;
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        for (int start = 0; start < labels.length; start++) {
            if (seen[start] || labels[start] != MotionTeacher.MOVING) {
                continue;
            }
            int area = 0;
            seen[start] = true;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                area++;
                int x = p % w;
                int y = p / w;
                int[] next = {
                    x > 0 ? p - 1 : -1,
                    x < w - 1 ? p + 1 : -1,
                    y > 0 ? p - w : -1,
                    y < h - 1 ? p + w : -1
                };
                for (int q : next) {
                    if (q >= 0 && !seen[q] && labels[q] == MotionTeacher.MOVING) {
                        seen[q] = true;
                        queue.add(q);
                    }
                }
            }
            if (area >= minArea) {
                count++;
            }
        }
        return count;
    }

    static int[] histogram(byte[] labels) {
        int[] counts = new int[256];
        for (byte b : labels) {
            counts[b & 0xff]++;
        }
        return counts;
    }
}
