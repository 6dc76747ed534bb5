package io.canvasflow.trainer;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.ModelVersion;
import io.canvasflow.model.RecurrentSegmentationNet;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Everything a training run needs; the defaults follow the paper's Appendix where it speaks (6
 * unrolled iterations, SGD with momentum 0.95, polynomial decay with power 0.9, Glorot-normal
 * initialisation) and are sized for a 2-core CPU elsewhere. Built with {@link #builder()}: {@code
 * setX} for what is required, {@code optX} for the rest, checked in {@link Builder#build()}.
 */
public final class TrainingOptions {

    /** End value of the polynomial schedule: (lr0 - eps)(1 - step/total)^0.9 + eps. */
    public static final float LR_EPSILON = 1e-6f;

    /** Power of the polynomial schedule. */
    public static final float LR_POWER = 0.9f;

    private final Builder b;

    private TrainingOptions(Builder builder) {
        this.b = builder.copy();
    }

    /** A builder with the defaults; the output directory is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some. */
    public Builder toBuilder() {
        return b.copy();
    }

    /** Recurrent network or feed-forward baseline. */
    public ModelType type() {
        return b.type;
    }

    /** Network hyper-parameters. */
    public Architecture architecture() {
        return b.architecture;
    }

    /** The id written into model.json. */
    public String modelId() {
        return b.modelId != null
                ? b.modelId
                : b.type == ModelType.RECURRENT
                        ? "canvasflow-rnn-synthetic"
                        : "canvasflow-ff-synthetic";
    }

    /** Iterations unrolled from a zero canvas. */
    public int iterations() {
        return b.iterations;
    }

    /** Iterations run on each seeded frame of a video clip. */
    public int seededIterations() {
        return b.seededIterations;
    }

    /**
     * Consecutive frames per video-phase sample: the first from a zero canvas, each later one
     * seeded with the canvas its predecessor ended with, as the topology chains them.
     */
    public int clipFrames() {
        return b.clipFrames;
    }

    /** Images per step. */
    public int batchSize() {
        return b.batchSize;
    }

    /** Training crop width. */
    public int cropWidth() {
        return b.cropWidth;
    }

    /** Training crop height. */
    public int cropHeight() {
        return b.cropHeight;
    }

    /** Frame size (the model's input size; crops are taken from frames of this size). */
    public int frameWidth() {
        return b.frameWidth;
    }

    /** Likewise. */
    public int frameHeight() {
        return b.frameHeight;
    }

    /** Total optimiser steps. */
    public int steps() {
        return b.steps;
    }

    /** Initial learning rate lr0. */
    public float learningRate() {
        return b.learningRate;
    }

    /** SGD momentum. */
    public float momentum() {
        return b.momentum;
    }

    /** L2 weight decay. */
    public float weightDecay() {
        return b.weightDecay;
    }

    /** Share of the steps, at the end, spent on the video-aware phase. */
    public double videoFraction() {
        return b.videoFraction;
    }

    /** In the video phase, share of seeds replaced by a wrong-class canvas. */
    public double wrongSeedFraction() {
        return b.wrongSeedFraction;
    }

    /** Whether the seed canvas carries no gradient back into frame t. */
    public boolean detachSeed() {
        return b.detachSeed;
    }

    /** Random seed: same seed, same data and initial weights. */
    public long seed() {
        return b.seed;
    }

    /** Steps between checkpoints (0: none). */
    public int checkpointEvery() {
        return b.checkpointEvery;
    }

    /** Model directory to write. */
    public Path output() {
        return b.output;
    }

    /** Continue from the checkpoint in {@code output/checkpoint}. */
    public boolean resume() {
        return b.resume;
    }

    /** A model directory whose weights start the run (fine-tuning), or null for Glorot. */
    public Path init() {
        return b.init;
    }

    /** Asked before each step: whether to stop there (Ctrl-C), saving a checkpoint. */
    public BooleanSupplier stopRequested() {
        return b.stopRequested;
    }

    /** Builds {@link TrainingOptions}. */
    public static final class Builder {
        private ModelType type = ModelType.RECURRENT;
        private Architecture architecture = Architecture.defaults();
        private String modelId;
        private int iterations = RecurrentSegmentationNet.DEFAULT_ITERATIONS;
        private int seededIterations = RecurrentSegmentationNet.DEFAULT_SEEDED_ITERATIONS;
        private int clipFrames = 2;
        private int batchSize = 8;
        private int cropWidth = 128;
        private int cropHeight = 96;
        private int frameWidth = 256;
        private int frameHeight = 192;
        private int steps = 4000;
        private float learningRate = 0.02f;
        private float momentum = 0.95f;
        private float weightDecay = 1e-4f;
        private double videoFraction = 0.3;
        private double wrongSeedFraction = 0.2;
        private boolean detachSeed = true;
        private long seed = 1;
        private int checkpointEvery = 500;
        private Path output;
        private boolean resume;
        private Path init;
        private BooleanSupplier stopRequested = () -> false;

        private Builder() {}

        /** The model directory to write (required). */
        public Builder setOutput(Path dir) {
            this.output = dir;
            return this;
        }

        /** Recurrent (default) or feed-forward. */
        public Builder optType(ModelType value) {
            this.type = value;
            return this;
        }

        /** Network hyper-parameters (default {@link Architecture#defaults()}). */
        public Builder optArchitecture(Architecture value) {
            this.architecture = value;
            return this;
        }

        /** The id written into model.json (default canvasflow-TYPE-synthetic). */
        public Builder optModelId(String value) {
            this.modelId = value;
            return this;
        }

        /** Iterations from a zero canvas (6) and on each seeded frame (2). */
        public Builder optIterations(int zeroCanvas, int seeded) {
            this.iterations = zeroCanvas;
            this.seededIterations = seeded;
            return this;
        }

        /**
         * The video phase: its share of the steps (0.3), frames per clip (2), wrong seeds (0.2).
         */
        public Builder optVideo(double fraction, int frames, double wrongSeeds) {
            this.videoFraction = fraction;
            this.clipFrames = frames;
            this.wrongSeedFraction = wrongSeeds;
            return this;
        }

        /** Back-propagate through the seed into frame t (default: detached). */
        public Builder optAttachedSeed(boolean attached) {
            this.detachSeed = !attached;
            return this;
        }

        /** Images per step (8). */
        public Builder optBatchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** Training crop (128x96). */
        public Builder optCrop(int width, int height) {
            this.cropWidth = width;
            this.cropHeight = height;
            return this;
        }

        /** Frame and model input size (256x192). */
        public Builder optFrame(int width, int height) {
            this.frameWidth = width;
            this.frameHeight = height;
            return this;
        }

        /** Steps (4000) and the SGD schedule: lr0 (0.02), momentum (0.95), weight decay (1e-4). */
        public Builder optSchedule(int steps, float lr, float momentum, float weightDecay) {
            this.steps = steps;
            this.learningRate = lr;
            this.momentum = momentum;
            this.weightDecay = weightDecay;
            return this;
        }

        /** Random seed (1). */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /** Steps between checkpoints, 0 for none (500); resume from OUTPUT/checkpoint. */
        public Builder optCheckpoints(int every, boolean resumeFromCheckpoint) {
            this.checkpointEvery = every;
            this.resume = resumeFromCheckpoint;
            return this;
        }

        /** Stop before the next step when this says so, with a checkpoint (default: never). */
        public Builder optStopRequested(BooleanSupplier value) {
            this.stopRequested = value;
            return this;
        }

        /** Start from this model's weights (fine-tuning), or null (default) for Glorot. */
        public Builder optInit(Path dir) {
            this.init = dir;
            return this;
        }

        /**
         * Checks the options, naming the one that is wrong.
         *
         * @throws IllegalArgumentException with one sentence
         */
        public TrainingOptions build() {
            Objects.requireNonNull(output, "an output directory is required");
            if (iterations < 1 || seededIterations < 1 || batchSize < 1 || steps < 1) {
                throw new IllegalArgumentException(
                        "iterations, seeded iterations, batch size and steps must be at least 1");
            }
            if (clipFrames < 2) {
                throw new IllegalArgumentException(
                        "a video clip needs at least 2 frames, got " + clipFrames);
            }
            if (cropWidth > frameWidth
                    || cropHeight > frameHeight
                    || cropWidth < 8
                    || cropHeight < 8) {
                throw new IllegalArgumentException(
                        "the crop ("
                                + cropWidth
                                + "x"
                                + cropHeight
                                + ") must fit in the frame ("
                                + frameWidth
                                + "x"
                                + frameHeight
                                + ") and be at least 8x8");
            }
            // written so that NaN fails each check: every comparison with NaN is false
            if (!(videoFraction >= 0 && videoFraction <= 1)
                    || !(wrongSeedFraction >= 0 && wrongSeedFraction <= 1)) {
                throw new IllegalArgumentException(
                        "expected --video-fraction and --wrong-seed-fraction between 0 and 1"
                                + " but found "
                                + videoFraction
                                + " and "
                                + wrongSeedFraction);
            }
            if (!(learningRate > 0 && Double.isFinite(learningRate))
                    || !(momentum >= 0 && momentum < 1)
                    || !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
                throw new IllegalArgumentException(
                        "expected --lr > 0, --momentum in [0, 1) and --weight-decay >= 0 but found "
                                + learningRate
                                + ", "
                                + momentum
                                + " and "
                                + weightDecay);
            }
            if (modelId != null && !ModelVersion.isValidModelId(modelId)) {
                // the registry refuses its versions: found out at models publish, after training
                throw new IllegalArgumentException(
                        "--model-id \""
                                + modelId
                                + "\" is no model id the registry takes: give one of letters,"
                                + " digits, '.', '_' and '-' only, beginning with a letter or"
                                + " digit, at most "
                                + ModelVersion.MAX_MODEL_ID
                                + " characters");
            }
            architecture.validate();
            String tooLarge = batchTooLarge();
            if (tooLarge != null) {
                throw new IllegalArgumentException(tooLarge);
            }
            return new TrainingOptions(this);
        }

        /**
         * Whether a step's frames and crops fit the heap ({@link HeapRoom}). A step holds each
         * sample's frames whole (a clip's every frame in the video phase): at least 4 bytes a pixel
         * (a 3-byte image and a label byte), and a crop of each: 21 bytes a crop pixel at least (3
         * normalised floats, the cropped image's int, its label byte, a one-hot float of at least
         * one class). The network's activations come on top, outside the heap.
         */
        private String batchTooLarge() {
            int framesPerSample = type == ModelType.RECURRENT && videoFraction > 0 ? clipFrames : 1;
            long frameBytes = 4L * frameWidth * frameHeight + 21L * cropWidth * cropHeight;
            return HeapRoom.problem(
                    "--batch "
                            + batchSize
                            + (framesPerSample > 1
                                    ? " of " + framesPerSample + "-frame clips (--clip-frames)"
                                    : "")
                            + " would hold "
                            + (long) batchSize * framesPerSample
                            + " "
                            + frameWidth
                            + "x"
                            + frameHeight
                            + " frames and their "
                            + cropWidth
                            + "x"
                            + cropHeight
                            + " crops",
                    (long) batchSize * framesPerSample,
                    frameBytes,
                    most ->
                            most >= framesPerSample
                                    ? "give --batch " + most / framesPerSample + " or less"
                                    : most >= 2
                                            ? "give --clip-frames "
                                                    + most
                                                    + " or less with --batch 1, or a smaller"
                                                    + " --frame or --crop"
                                            : "give a smaller --frame or --crop");
        }

        private Builder copy() {
            Builder c = new Builder();
            c.type = type;
            c.architecture = architecture;
            c.modelId = modelId;
            c.iterations = iterations;
            c.seededIterations = seededIterations;
            c.clipFrames = clipFrames;
            c.batchSize = batchSize;
            c.cropWidth = cropWidth;
            c.cropHeight = cropHeight;
            c.frameWidth = frameWidth;
            c.frameHeight = frameHeight;
            c.steps = steps;
            c.learningRate = learningRate;
            c.momentum = momentum;
            c.weightDecay = weightDecay;
            c.videoFraction = videoFraction;
            c.wrongSeedFraction = wrongSeedFraction;
            c.detachSeed = detachSeed;
            c.seed = seed;
            c.checkpointEvery = checkpointEvery;
            c.output = output;
            c.resume = resume;
            c.init = init;
            c.stopRequested = stopRequested;
            return c;
        }
    }
}
