package io.canvasflow.model;

import java.awt.image.BufferedImage;

/**
 * What to segment and how: an image, an optional seed canvas, a number of iterations, and the size
 * of the class map to return. Build with {@link #builder()}.
 */
public final class SegmentRequest {

    private final BufferedImage image;
    private final Canvas seed;
    private final int iterations;
    private final int outputWidth;
    private final int outputHeight;
    private final int inputWidth;
    private final int inputHeight;
    private final boolean keepIterations;

    private SegmentRequest(Builder b) {
        image = b.image;
        seed = b.seed;
        iterations = b.iterations;
        outputWidth = b.outputWidth > 0 ? b.outputWidth : image.getWidth();
        outputHeight = b.outputHeight > 0 ? b.outputHeight : image.getHeight();
        inputWidth = b.inputWidth;
        inputHeight = b.inputHeight;
        keepIterations = b.keepIterations;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The image, any size; it is resized to the model input size. */
    public BufferedImage image() {
        return image;
    }

    /** The seed canvas, or {@code null} for a zero canvas. */
    public Canvas seed() {
        return seed;
    }

    /** Iterations to run, or 0 for the model's default. */
    public int iterations() {
        return iterations;
    }

    /** Width of the returned class map. */
    public int outputWidth() {
        return outputWidth;
    }

    /** Height of the returned class map. */
    public int outputHeight() {
        return outputHeight;
    }

    /** Input width override, or 0 for the model's input size. */
    public int inputWidth() {
        return inputWidth;
    }

    /** Input height override, or 0 for the model's input size. */
    public int inputHeight() {
        return inputHeight;
    }

    /** Whether to return the class map after every iteration. */
    public boolean keepIterations() {
        return keepIterations;
    }

    /** Builds a {@link SegmentRequest}. */
    public static final class Builder {
        private BufferedImage image;
        private Canvas seed;
        private int iterations;
        private int outputWidth;
        private int outputHeight;
        private int inputWidth;
        private int inputHeight;
        private boolean keepIterations;

        private Builder() {}

        /** The image to segment (required). */
        public Builder setImage(BufferedImage image) {
            this.image = image;
            return this;
        }

        /** A canvas to start from instead of zeros. */
        public Builder optSeed(Canvas seed) {
            this.seed = seed;
            return this;
        }

        /** Iterations to run (default: the model's, 6 for the RNN). */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** The class map size (default: the image size). */
        public Builder optOutputSize(int width, int height) {
            this.outputWidth = width;
            this.outputHeight = height;
            return this;
        }

        /** Runs the network at this input size instead of the model's (benchmarks). */
        public Builder optInputSize(int width, int height) {
            this.inputWidth = width;
            this.inputHeight = height;
            return this;
        }

        /** Also returns the class map after every iteration (sample strips). */
        public Builder optKeepIterations(boolean keep) {
            this.keepIterations = keep;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException on a missing image or a negative value
         */
        public SegmentRequest build() {
            if (image == null) {
                throw new IllegalArgumentException("a SegmentRequest needs an image");
            }
            if (iterations < 0
                    || outputWidth < 0
                    || outputHeight < 0
                    || inputWidth < 0
                    || inputHeight < 0) {
                throw new IllegalArgumentException("iterations and sizes must not be negative");
            }
            if ((inputWidth == 0) != (inputHeight == 0)) {
                throw new IllegalArgumentException("give both input width and height, or neither");
            }
            return new SegmentRequest(this);
        }
    }
}
