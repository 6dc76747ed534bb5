package io.canvasflow.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.canvasflow.model.ImageTensors;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.SegmentationNet;
import io.canvasflow.synthetic.LabeledFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The loss of one training step on a batch of stills or of clips; what stays the same from step to
 * step is fixed here.
 *
 * @param o the run's options
 * @param data where the frames come from
 * @param net the network trained
 * @param input the model's input normalisation (model.json's {@code input}), which serve and
 *     evaluate normalise with too: a fine-tuned model keeps its {@code --init} model's
 * @param random crops, flips and wrong-class seeds
 * @param weights the loss weight of each class, or null for equal weights
 */
record StepLoss(
        TrainingOptions o,
        TrainingData data,
        SegmentationNet net,
        ModelSpec.InputSpec input,
        Random random,
        float[] weights) {

    /** The frames one step feeds the network: a clip's every frame in the video phase. */
    int frames(boolean video) {
        return video ? o.batchSize() * o.clipFrames() : o.batchSize();
    }

    /**
     * The loss per frame of a step's loss: a still step's is already the mean over its frames, a
     * clip step's is the sum over the clip's frames (the gradient is the sum's).
     */
    double perFrame(float stepLoss, boolean video) {
        return video ? (double) stepLoss / o.clipFrames() : stepLoss;
    }

    /**
     * A batch of single frames, N iterations from a zero canvas, loss on the last canvas. A frozen
     * backbone runs in inference mode, as serve runs it: its batch-norm statistics stay as they
     * were, and the head fits the features serve computes.
     */
    NDArray still(ParameterStore ps, NDManager sm, int step, boolean frozenBackbone) {
        List<LabeledFrame> frames = new ArrayList<>(o.batchSize());
        for (int i = 0; i < o.batchSize(); i++) {
            frames.add(data.still((long) step * o.batchSize() + i));
        }
        Batch batch = Batch.of(frames, o, input, random, sm, net.numClasses(), weights);
        NDArray features = net.features(ps, batch.images(), !frozenBackbone);
        NDArray canvas = iterate(features, net.zeroCanvas(features), o.iterations(), ps);
        return Losses.crossEntropy(canvas, batch.targets());
    }

    /**
     * A batch of clips of consecutive frames, chained as the topology chains a camera's frames:
     * frame t from a zero canvas for N iterations, then every later frame seeded with the canvas
     * its predecessor ended with (the first seed replaced by a wrong-class canvas for some samples)
     * for the seeded iteration count; the loss is the sum over the clip's frames. Clips longer than
     * two frames train on seeds the network made itself from a seed, which is what it meets from
     * the third frame of a camera on.
     */
    NDArray video(ParameterStore ps, NDManager sm, int step, boolean frozenBackbone) {
        int length = o.clipFrames();
        List<List<LabeledFrame>> byPosition = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            byPosition.add(new ArrayList<>(o.batchSize()));
        }
        for (int i = 0; i < o.batchSize(); i++) {
            List<LabeledFrame> clip = data.clip((long) step * o.batchSize() + i, length);
            for (int t = 0; t < length; t++) {
                byPosition.get(t).add(clip.get(t));
            }
        }
        long cropSeed = random.nextLong();
        NDArray loss = null;
        NDArray canvas = null;
        for (int t = 0; t < length; t++) {
            // The same crop and flip for every frame of a clip, so the seed lines up.
            Batch b =
                    Batch.of(
                            byPosition.get(t),
                            o,
                            input,
                            new Random(cropSeed),
                            sm,
                            net.numClasses(),
                            weights);
            NDArray features = net.features(ps, b.images(), !frozenBackbone);
            if (t == 0) {
                canvas = iterate(features, net.zeroCanvas(features), o.iterations(), ps);
            } else {
                NDArray seed = net.prepareSeed(o.detachSeed() ? canvas.stopGradient() : canvas);
                if (t == 1) {
                    seed =
                            CanvasTrainer.mixWrongClassSeeds(
                                    seed, o.wrongSeedFraction(), net.numClasses(), random, sm);
                }
                canvas = iterate(features, seed, o.seededIterations(), ps);
            }
            NDArray frameLoss = Losses.crossEntropy(canvas, b.targets());
            loss = loss == null ? frameLoss : loss.add(frameLoss);
        }
        return loss;
    }

    private NDArray iterate(NDArray features, NDArray canvas, int iterations, ParameterStore ps) {
        int n = net.type() == ModelType.RECURRENT ? iterations : 1;
        return net.iterate(ps, features, canvas, n, true, null);
    }

    /** A training batch: normalised crops and their one-hot targets. */
    record Batch(NDArray images, NDArray targets) {

        static Batch of(
                List<LabeledFrame> frames,
                TrainingOptions o,
                ModelSpec.InputSpec input,
                Random random,
                NDManager sm,
                int classes,
                float[] weights) {
            int n = frames.size();
            int w = o.cropWidth();
            int h = o.cropHeight();
            float[] pixels = new float[n * 3 * w * h];
            byte[][] labels = new byte[n][];
            for (int i = 0; i < n; i++) {
                LabeledFrame f = frames.get(i);
                int x0 = random.nextInt(f.width() - w + 1);
                int y0 = random.nextInt(f.height() - h + 1);
                boolean flip = random.nextBoolean();
                Crop crop = Crop.of(f, x0, y0, w, h, flip);
                ImageTensors.toChw(crop.image(), input.mean(), input.std(), pixels, i * 3 * w * h);
                labels[i] = crop.labels();
            }
            NDArray images = sm.create(pixels, new Shape(n, 3, h, w));
            return new Batch(images, Losses.oneHot(sm, labels, classes, h, w, weights));
        }
    }
}
