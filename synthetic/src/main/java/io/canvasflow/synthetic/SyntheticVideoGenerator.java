package io.canvasflow.synthetic;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders labelled video of synthetic streets, classes as in {@link ClassTable#SYNTHETIC}.
 *
 * <p>A scene is a side view across a street, built in a world about twice as wide as the view:
 * textured sky with clouds, buildings with windows and shop fronts, a road with lanes and
 * pavements, trees and hedges, cars, vans, buses and trucks that drive in their lanes, and
 * pedestrians that walk. Each frame looks through a camera that pans, zooms slowly and shakes;
 * objects occlude one another in depth order and enter and leave the view; exposure and colour
 * temperature drift, and frames get sensor noise and sometimes motion blur. Colours overlap between
 * classes (grey cars on grey asphalt, glass facades that mirror the sky, green cars, grey overcast
 * skies) so that context and texture, not colour, decide a pixel.
 *
 * <p>Labels are exact: they come from the same geometry as the colours, without antialiasing.
 * Everything is a pure function of the seed; instances hold no state and are thread-safe.
 */
public final class SyntheticVideoGenerator {

    /** The classes this generator labels. */
    public static final ClassTable CLASSES = ClassTable.SYNTHETIC;

    /** Generates {@code frames} consecutive frames of the scene for {@code seed}. */
    public VideoSequence generate(long seed, int frames, int width, int height) {
        if (frames < 1) {
            throw new IllegalArgumentException("Expected at least one frame, got " + frames);
        }
        StreetScene scene = StreetScene.build(seed, width, height);
        List<LabeledFrame> out = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) {
            out.add(scene.render(scene.startTime + i, frameSeed(seed, i)));
        }
        return new VideoSequence("synthetic-" + Long.toHexString(seed), out);
    }

    /** Generates one still of the scene for {@code seed}, at a time the seed picks. */
    public LabeledFrame generateFrame(long seed, int width, int height) {
        StreetScene scene = StreetScene.build(seed, width, height);
        return scene.render(scene.startTime, frameSeed(seed, 0));
    }

    private static long frameSeed(long seed, int index) {
        return StreetLabels.mix(seed * 0x9E3779B97F4A7C15L + index + 1) ^ 0x5DEECE66DL;
    }

    /**
     * Paints labels with the table's colours; {@link ClassTable#IGNORE_LABEL} and unknown are
     * black.
     */
    public static BufferedImage colorize(byte[] labels, int width, int height, ClassTable classes) {
        if (labels.length != width * height) {
            throw new IllegalArgumentException(
                    "Expected " + width * height + " labels, got " + labels.length);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int[] lut = new int[256];
        for (int i = 0; i < classes.size(); i++) {
            lut[i] = classes.color(i);
        }
        for (int i = 0; i < labels.length; i++) {
            px[i] = lut[labels[i] & 0xff];
        }
        return out;
    }
}
