package io.canvasflow.trainer;

import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.Split;
import io.canvasflow.synthetic.SyntheticDataset;
import java.util.List;

/**
 * Training frames from the synthetic generator's training split. Every index is a new scene, so the
 * network never sees the same frame twice unless {@link #limitedTo} cycles them.
 */
public final class SyntheticTrainingData implements TrainingData {

    private final SyntheticDataset dataset = new SyntheticDataset();
    private final int width;
    private final int height;
    private final long offset;
    private final long distinct;

    /** Frames of {@code width x height}; {@code seed} shifts which scenes are drawn. */
    public SyntheticTrainingData(int width, int height, long seed) {
        this(width, height, seed, Long.MAX_VALUE);
    }

    private SyntheticTrainingData(int width, int height, long seed, long distinct) {
        this.width = width;
        this.height = height;
        this.offset = Math.floorMod(seed * 1_000_003L, 1L << 30);
        this.distinct = distinct;
    }

    /** The same data cycling over only {@code frames} distinct scenes (for tiny tests). */
    public SyntheticTrainingData limitedTo(long frames) {
        return new SyntheticTrainingData(width, height, offset, frames, true);
    }

    private SyntheticTrainingData(int width, int height, long offset, long distinct, boolean raw) {
        this.width = width;
        this.height = height;
        this.offset = offset;
        this.distinct = distinct;
    }

    private int scene(long index) {
        return (int) ((offset + index % distinct) % Integer.MAX_VALUE);
    }

    @Override
    public LabeledFrame still(long index) {
        return dataset.frame(Split.TRAIN, scene(index), width, height);
    }

    @Override
    public List<LabeledFrame> clip(long index, int frames) {
        return dataset.sequence(Split.TRAIN, scene(index), frames, width, height).frames();
    }

    @Override
    public String description() {
        return "CanvasFlow synthetic street video, training split, "
                + width
                + "x"
                + height
                + " frames (random "
                + "crops and flips); validation and test splits use disjoint seeds";
    }
}
