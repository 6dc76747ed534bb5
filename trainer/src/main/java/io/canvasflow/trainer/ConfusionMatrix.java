package io.canvasflow.trainer;

/** Accumulates predicted vs true labels; yields per-class IoU and mIoU. */
public final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;

    /** An empty matrix for {@code classes} classes. */
    public ConfusionMatrix(int classes) {
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** Adds a prediction; pixels whose true label is outside {@code [0, classes)} are ignored. */
    public void add(byte[] predicted, byte[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(
                    "prediction has " + predicted.length + " pixels, truth " + truth.length);
        }
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i] & 0xff;
            if (t < classes) {
                counts[t * classes + (predicted[i] & 0xff)]++;
            }
        }
    }

    /** Adds another matrix of the same size. */
    public void add(ConfusionMatrix other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    /** IoU of each class; NaN for a class that neither occurs nor is predicted. */
    public double[] iou() {
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            long tp = counts[c * classes + c];
            long fn = 0;
            long fp = 0;
            for (int k = 0; k < classes; k++) {
                if (k != c) {
                    fn += counts[c * classes + k];
                    fp += counts[k * classes + c];
                }
            }
            long union = tp + fn + fp;
            out[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return out;
    }

    /** Mean IoU over the classes that occur or are predicted. */
    public double meanIou() {
        double sum = 0;
        int n = 0;
        for (double v : iou()) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Share of labelled pixels predicted correctly. */
    public double pixelAccuracy() {
        long correct = 0;
        long total = 0;
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                total += counts[t * classes + p];
                if (t == p) {
                    correct += counts[t * classes + p];
                }
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }
}
