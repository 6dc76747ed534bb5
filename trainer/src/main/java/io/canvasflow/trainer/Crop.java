package io.canvasflow.trainer;

import io.canvasflow.synthetic.LabeledFrame;
import java.awt.image.BufferedImage;

/** A crop of a labelled frame, optionally mirrored left-right; labels follow exactly. */
record Crop(BufferedImage image, byte[] labels) {

    static Crop of(LabeledFrame frame, int x0, int y0, int w, int h, boolean flip) {
        int[] rgb = frame.image().getRGB(x0, y0, w, h, null, 0, w);
        byte[] all = frame.labels();
        byte[] labels = new byte[w * h];
        int[] out = new int[w * h];
        int fw = frame.width();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = flip ? w - 1 - x : x;
                out[y * w + x] = rgb[y * w + sx];
                labels[y * w + x] = all[(y0 + y) * fw + x0 + sx];
            }
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, w, h, out, 0, w);
        return new Crop(image, labels);
    }
}
