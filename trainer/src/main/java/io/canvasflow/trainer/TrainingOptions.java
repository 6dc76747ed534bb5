package io.canvasflow.trainer;

import io.canvasflow.model.Architecture;
import io.canvasflow.model.ModelType;
import java.nio.file.Path;

/**
 * Everything a training run needs; the defaults follow the paper's Appendix where it speaks (6
 * unrolled iterations, SGD with momentum 0.95, polynomial decay with power 0.9, Glorot-normal
 * initialisation) and are sized for a 2-core CPU elsewhere.
 *
 * @param type recurrent network or feed-forward baseline
 * @param architecture network hyper-parameters
 * @param modelId the id written into model.json
 * @param iterations iterations unrolled from a zero canvas
 * @param seededIterations iterations run on each seeded frame of a video clip
 * @param clipFrames consecutive frames per video-phase sample: the first from a zero canvas, each
 *     later one seeded with the canvas its predecessor ended with, as the topology chains them
 * @param batchSize images per step
 * @param cropWidth training crop width
 * @param cropHeight training crop height
 * @param frameWidth size synthetic frames are rendered at (crops are taken from them)
 * @param frameHeight likewise
 * @param steps total optimiser steps
 * @param learningRate initial learning rate lr0
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay
 * @param videoFraction share of the steps, at the end, spent on the video-aware phase
 * @param wrongSeedFraction in the video phase, share of seeds replaced by a wrong-class canvas
 * @param detachSeed whether the seed canvas carries no gradient back into frame t
 * @param seed random seed: same seed, same data and initial weights
 * @param checkpointEvery steps between checkpoints (0: none)
 * @param output model directory to write
 * @param resume continue from the checkpoint in {@code output/checkpoint}
 * @param init a model directory whose weights start the run (fine-tuning), or null for Glorot
 *     initialisation
 */
public record TrainingOptions(
        ModelType type,
        Architecture architecture,
        String modelId,
        int iterations,
        int seededIterations,
        int clipFrames,
        int batchSize,
        int cropWidth,
        int cropHeight,
        int frameWidth,
        int frameHeight,
        int steps,
        float learningRate,
        float momentum,
        float weightDecay,
        double videoFraction,
        double wrongSeedFraction,
        boolean detachSeed,
        long seed,
        int checkpointEvery,
        Path output,
        boolean resume,
        Path init) {

    /** End value of the polynomial schedule: (lr0 - eps)(1 - step/total)^0.9 + eps. */
    public static final float LR_EPSILON = 1e-6f;

    /** Power of the polynomial schedule. */
    public static final float LR_POWER = 0.9f;

    /** The same options for frames (and a model input) of {@code width x height}. */
    public TrainingOptions withFrame(int width, int height) {
        return new TrainingOptions(
                type,
                architecture,
                modelId,
                iterations,
                seededIterations,
                clipFrames,
                batchSize,
                cropWidth,
                cropHeight,
                width,
                height,
                steps,
                learningRate,
                momentum,
                weightDecay,
                videoFraction,
                wrongSeedFraction,
                detachSeed,
                seed,
                checkpointEvery,
                output,
                resume,
                init);
    }

    /** The same options under another model id. */
    public TrainingOptions withModelId(String id) {
        return new TrainingOptions(
                type,
                architecture,
                id,
                iterations,
                seededIterations,
                clipFrames,
                batchSize,
                cropWidth,
                cropHeight,
                frameWidth,
                frameHeight,
                steps,
                learningRate,
                momentum,
                weightDecay,
                videoFraction,
                wrongSeedFraction,
                detachSeed,
                seed,
                checkpointEvery,
                output,
                resume,
                init);
    }

    /** Validates the options, naming the offending one. */
    public TrainingOptions validate() {
        if (iterations < 1 || seededIterations < 1 || batchSize < 1 || steps < 1) {
            throw new IllegalArgumentException(
                    "iterations, seeded iterations, batch size and steps must be at least 1");
        }
        if (clipFrames < 2) {
            throw new IllegalArgumentException(
                    "a video clip needs at least 2 frames, got " + clipFrames);
        }
        if (cropWidth > frameWidth || cropHeight > frameHeight || cropWidth < 8 || cropHeight < 8) {
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
        if (videoFraction < 0
                || videoFraction > 1
                || wrongSeedFraction < 0
                || wrongSeedFraction > 1) {
            throw new IllegalArgumentException("fractions must be between 0 and 1");
        }
        if (learningRate <= 0 || momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("learning rate must be > 0 and momentum in [0, 1)");
        }
        architecture.validate();
        return this;
    }
}
