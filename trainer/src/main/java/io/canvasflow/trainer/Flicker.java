package io.canvasflow.trainer;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Temporal flicker: the share of static pixels whose class changes from one frame to the next. A
 * pixel is static when no colour channel of the image moved by more than {@value #STATIC_DELTA} of
 * 255 between the two frames, a property of the footage alone, so a model's masks and a teacher's
 * labels are measured on the same pixels.
 */
public final class Flicker {

    /** Largest per-channel change, of 255, of a pixel counted as static. */
    public static final int STATIC_DELTA = 8;

    private Flicker() {}

    /**
     * Flicker of {@code labels} over consecutive {@code frames}.
     *
     * @param frames the frames in time order (their images define the static pixels)
     * @param labels one label array per frame
     * @param skipIgnored leave out pixels ignored (255) in either frame; otherwise a change to or
     *     from the ignore label counts as a change (a teacher that is sure of a pixel in one frame
     *     and unsure in the next flickers there)
     * @return the share of static pixel transitions that changed label; NaN when no pixel was
     *     static
     */
    public static double of(List<LabeledFrame> frames, List<byte[]> labels, boolean skipIgnored) {
        return count(frames, labels, skipIgnored).share();
    }

    /**
     * Static pixel transitions, and those of them that changed label: what {@link #of} divides.
     * Footage of several clips pools these, so each clip weighs by its static pixels and a clip
     * with none adds nothing (its share alone would be NaN).
     *
     * @param changed transitions whose label changed
     * @param total static pixel transitions
     */
    public record Count(long changed, long total) {

        /** No transitions. */
        public static final Count NONE = new Count(0, 0);

        /** Both counts added. */
        public Count plus(Count other) {
            return new Count(changed + other.changed, total + other.total);
        }

        /** The share that changed; NaN when no pixel was static. */
        public double share() {
            return total == 0 ? Double.NaN : (double) changed / total;
        }
    }

    /**
     * Counts the static pixel transitions of {@code labels} over consecutive {@code frames}, and
     * those that changed label; {@link #of}'s arguments.
     */
    public static Count count(List<LabeledFrame> frames, List<byte[]> labels, boolean skipIgnored) {
        long changed = 0;
        long total = 0;
        for (int t = 1; t < frames.size(); t++) {
            BufferedImage a = frames.get(t - 1).image();
            BufferedImage b = frames.get(t).image();
            byte[] la = labels.get(t - 1);
            byte[] lb = labels.get(t);
            int w = a.getWidth();
            int[] ra = a.getRGB(0, 0, w, a.getHeight(), null, 0, w);
            int[] rb = b.getRGB(0, 0, w, b.getHeight(), null, 0, w);
            for (int i = 0; i < ra.length; i++) {
                int x = la[i] & 0xff;
                int y = lb[i] & 0xff;
                if (skipIgnored && (x == ClassTable.IGNORE_LABEL || y == ClassTable.IGNORE_LABEL)) {
                    continue;
                }
                if (still(ra[i], rb[i])) {
                    total++;
                    if (x != y) {
                        changed++;
                    }
                }
            }
        }
        return new Count(changed, total);
    }

    private static boolean still(int p, int q) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff)) > STATIC_DELTA) {
                return false;
            }
        }
        return true;
    }
}
