package io.canvasflow.trainer.label;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorKNN;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import io.canvasflow.schemas.LabelMetadata;
import io.canvasflow.synthetic.ClassTable;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractor;

/**
 * Labels what moves in a static camera's view with OpenCV's background subtraction (MOG2 by
 * default, or KNN), for cameras that do not move. Per frame:
 *
 * <ol>
 *   <li>the subtractor's foreground mask, with its shadow detection on (shadow pixels are neither
 *       background nor object: they get the ignore label);
 *   <li>a morphological opening removes speckle, a closing fills holes inside a blob;
 *   <li>blobs smaller than {@code minArea} pixels are ignored rather than called background: they
 *       may be a distant object or noise;
 *   <li>a band around every blob's border is ignored: the subtractor's edges are where it is least
 *       sure.
 * </ol>
 *
 * <p>The first {@code warmUp} frames only teach the background model and get no labels.
 */
public final class MotionTeacher implements Teacher {

    /** Label of the static background. */
    public static final int BACKGROUND = 0;

    /** Label of moving objects. */
    public static final int MOVING = 1;

    private static final int IGNORE = ClassTable.IGNORE_LABEL;

    private final Settings settings;
    private final ClassTable classes;
    private final BackgroundSubtractor subtractor;
    private int seen;
    private int width;
    private int height;

    /**
     * How the teacher works.
     *
     * @param algorithm {@code mog2} or {@code knn}
     * @param history frames the background model remembers
     * @param warmUp frames that only train the background model
     * @param minArea smallest blob, in pixels of the frame, called an object
     * @param border width in pixels of the ignored band on each side of a blob's edge
     * @param movingClass the name of the moving class (e.g. {@code person} on a pedestrian street)
     */
    public record Settings(
            String algorithm,
            int history,
            int warmUp,
            int minArea,
            int border,
            String movingClass) {

        /** Defaults for a street camera at a few hundred pixels across. */
        public static Settings defaults() {
            return new Settings("mog2", 500, 30, 120, 2, "moving");
        }

        /** Checks every value, naming the one that is wrong. */
        public Settings {
            if (!List.of("mog2", "knn").contains(algorithm)) {
                throw new IllegalArgumentException(
                        "the motion teacher's algorithm must be mog2 or knn, got " + algorithm);
            }
            if (history < 1 || warmUp < 0 || minArea < 0 || border < 0) {
                throw new IllegalArgumentException(
                        "the motion teacher needs history >= 1 and warm-up, min area and border"
                                + " >= 0");
            }
            if (movingClass == null || movingClass.isBlank()) {
                throw new IllegalArgumentException("the moving class needs a name");
            }
            // the names labelled frames carry, checked before anything is labelled or written
            String problem = LabelMetadata.classesProblem(classNames(movingClass));
            if (problem != null) {
                throw new IllegalArgumentException(
                        "the moving class (--moving-class) cannot be '"
                                + movingClass
                                + "': "
                                + problem);
            }
        }
    }

    /** A teacher with fresh background model. */
    public MotionTeacher(Settings settings) {
        this.settings = settings;
        this.classes =
                new ClassTable(classNames(settings.movingClass()), new int[] {0x000000, 0xDC143C});
        this.subtractor =
                "knn".equals(settings.algorithm())
                        ? createBackgroundSubtractorKNN(settings.history(), 400.0, true)
                        : createBackgroundSubtractorMOG2(settings.history(), 16.0, true);
    }

    /** The teacher's classes, in label order: background, then the moving class. */
    private static List<String> classNames(String movingClass) {
        return List.of("background", movingClass);
    }

    @Override
    public ClassTable classes() {
        return classes;
    }

    @Override
    public String description() {
        return String.format(
                Locale.ROOT,
                "motion:%s(history=%d,warmUp=%d,minArea=%d,border=%d,shadows=ignored)",
                settings.algorithm(),
                settings.history(),
                settings.warmUp(),
                settings.minArea(),
                settings.border());
    }

    @Override
    public int warmUp() {
        return settings.warmUp();
    }

    @Override
    public Optional<byte[]> label(BufferedImage frame) {
        if (frame.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            throw new IllegalArgumentException("the motion teacher takes TYPE_3BYTE_BGR frames");
        }
        int w = frame.getWidth();
        int h = frame.getHeight();
        if (seen > 0 && (w != width || h != height)) {
            // OpenCV's subtractor models one view: it failed with an assertion of its own
            throw new TeacherException(
                    String.format(
                            Locale.ROOT,
                            "the motion teacher got a %dx%d frame after %d frames of %dx%d; it"
                                    + " models one camera view, so label footage of each size on"
                                    + " its own",
                            w,
                            h,
                            seen,
                            width,
                            height));
        }
        width = w;
        height = h;
        byte[] bgr = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        try (Mat image = new Mat(h, w, CV_8UC3);
                Mat raw = new Mat();
                Mat object = new Mat();
                Mat shadow = new Mat()) {
            image.data().put(bgr, 0, w * h * 3);
            subtractor.apply(image, raw);
            seen++;
            if (seen <= settings.warmUp()) {
                return Optional.empty();
            }
            // MOG2 and KNN write 255 for foreground and 127 for shadow.
            threshold(raw, object, 200, 255, THRESH_BINARY);
            threshold(raw, shadow, 100, 255, THRESH_BINARY);
            try (Mat small = ellipse(3);
                    Mat large = ellipse(7)) {
                morphologyEx(object, object, MORPH_OPEN, small);
                morphologyEx(object, object, MORPH_CLOSE, large);
            }
            byte[] labels = new byte[w * h];
            byte[] shadowPixels = bytes(shadow, w * h);
            for (int i = 0; i < labels.length; i++) {
                labels[i] = shadowPixels[i] != 0 ? (byte) IGNORE : (byte) BACKGROUND;
            }
            markBlobs(object, w, h, labels);
            return Optional.of(labels);
        }
    }

    /** Writes MOVING on large blobs, IGNORE on small ones and on every blob's border band. */
    private void markBlobs(Mat object, int w, int h, byte[] labels) {
        try (Mat components = new Mat();
                Mat stats = new Mat();
                Mat centroids = new Mat()) {
            int n = connectedComponentsWithStats(object, components, stats, centroids);
            IntIndexer area = stats.createIndexer();
            IntIndexer ids = components.createIndexer();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int id = ids.get(y, x);
                    if (id > 0) {
                        boolean big = area.get(id, CC_STAT_AREA) >= settings.minArea();
                        labels[y * w + x] = big ? (byte) MOVING : (byte) IGNORE;
                    }
                }
            }
            area.release();
            ids.release();
            if (settings.border() > 0 && n > 1) {
                ignoreBorders(object, w, h, labels);
            }
        }
    }

    private void ignoreBorders(Mat object, int w, int h, byte[] labels) {
        try (Mat kernel = ellipse(2 * settings.border() + 1);
                Mat grown = new Mat();
                Mat shrunk = new Mat()) {
            dilate(object, grown, kernel);
            erode(object, shrunk, kernel);
            byte[] outer = bytes(grown, w * h);
            byte[] inner = bytes(shrunk, w * h);
            for (int i = 0; i < labels.length; i++) {
                if (outer[i] != inner[i]) {
                    labels[i] = (byte) IGNORE;
                }
            }
        }
    }

    private static Mat ellipse(int size) {
        return getStructuringElement(MORPH_ELLIPSE, new Size(size, size), new Point(-1, -1));
    }

    private static byte[] bytes(Mat mask, int count) {
        if (mask.type() != CV_8UC1 || !mask.isContinuous()) {
            throw new IllegalStateException("expected a continuous 8-bit mask");
        }
        byte[] out = new byte[count];
        mask.data().get(out, 0, count);
        return out;
    }

    @Override
    public void close() {
        subtractor.close();
    }
}
