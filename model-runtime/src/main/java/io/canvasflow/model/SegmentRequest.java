package io.canvasflow.model;

import java.awt.image.BufferedImage;

/**
 * What to segment and how: an image, an optional seed canvas, a number of iterations, and the size
 * of the class map to return. Build with {@link #builder()}.
 */
public record SegmentRequest(
        BufferedImage image,
        Canvas seed,
        int iterations,
        int outputWidth,
        int outputHeight,
        int inputWidth,
        int inputHeight,
        boolean keepIterations) {

    /**
     * Checks the request; an output size of 0 becomes the image's size.
     *
     * @param image the image, any size; it is resized to the model input size
     * @param seed the seed canvas, or {@code null} for a zero canvas
     * @param iterations iterations to run, or 0 for the model's default
     * @param outputWidth width of the returned class map, or 0 for the image's
     * @param outputHeight height of the returned class map, or 0 for the image's
     * @param inputWidth input width override, or 0 for the model's input size
     * @param inputHeight input height override, or 0 for the model's input size
     * @param keepIterations whether to return the class map after every iteration
     * @throws IllegalArgumentException on a missing image or a negative value
     */
    public SegmentRequest {
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
        outputWidth = outputWidth > 0 ? outputWidth : image.getWidth();
        outputHeight = outputHeight > 0 ? outputHeight : image.getHeight();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
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
            return new SegmentRequest(
                    image,
                    seed,
                    iterations,
                    outputWidth,
                    outputHeight,
                    inputWidth,
                    inputHeight,
                    keepIterations);
        }
    }
}
