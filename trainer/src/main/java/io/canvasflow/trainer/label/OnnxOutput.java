package io.canvasflow.trainer.label;

import java.util.Locale;

/**
 * How an ONNX teacher's per-pixel class scores are read ({@code --teacher-output}): as logits,
 * whose softmax gives each class's probability, or as probabilities already (a model whose graph
 * ends in a Softmax, as many exports do). Read as logits, probabilities in 0..1 over C classes get
 * a top "probability" of at most e/(e+C-1), 0.40 for 5 classes: every pixel would fall under {@code
 * --min-confidence} 0.5. Either way the label is the top-scoring class; only its confidence
 * differs.
 */
public enum OnnxOutput {
    /** Decided on the first frame: probabilities when they look like them, else logits. */
    AUTO,
    LOGITS,
    PROBABILITIES;

    /**
     * How far a probability may lie outside 0..1, and a pixel's probabilities' sum from 1, in float
     * arithmetic (a float softmax over 21 classes sums to 1 within about 1e-6).
     */
    static final double TOLERANCE = 1e-3;

    /** The option's value, as {@code --teacher-output} takes it. */
    String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What {@link #AUTO} reads a score map as: probabilities when every score is within 0..1 and
     * each pixel's scores sum to 1 (both within {@link #TOLERANCE}), else logits.
     *
     * @param scores one plane per class, {@code classes * plane} values
     */
    static OnnxOutput detect(float[] scores, int classes, int plane) {
        if (!withinUnit(scores)) {
            return LOGITS;
        }
        for (int p = 0; p < plane; p++) {
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += scores[k * plane + p];
            }
            if (!(Math.abs(sum - 1) <= TOLERANCE)) {
                return LOGITS;
            }
        }
        return PROBABILITIES;
    }

    /** Whether every score lies within 0..1 (NaN does not). */
    static boolean withinUnit(float[] scores) {
        for (float s : scores) {
            if (!(s >= -TOLERANCE && s <= 1 + TOLERANCE)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The probability of class {@code top} at pixel {@code p}: its score for {@link
     * #PROBABILITIES}, its softmax for {@link #LOGITS}.
     */
    double confidence(float[] scores, int classes, int plane, int p, int top) {
        float chosen = scores[top * plane + p];
        if (this == PROBABILITIES) {
            return chosen;
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp(scores[k * plane + p] - chosen);
        }
        return 1 / sum;
    }
}
