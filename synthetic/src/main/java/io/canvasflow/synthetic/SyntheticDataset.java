package io.canvasflow.synthetic;

/**
 * Synthetic street video split into train, validation and test by seed: each split owns its own
 * range of 2^40 seeds, so no scene appears in two splits.
 */
public final class SyntheticDataset {

    private static final int SPLIT_SHIFT = 40;

    private final SyntheticVideoGenerator generator;

    public SyntheticDataset() {
        this(new SyntheticVideoGenerator());
    }

    public SyntheticDataset(SyntheticVideoGenerator generator) {
        this.generator = generator;
    }

    /**
     * The seed of scene {@code index} of {@code split}: split {@code s} uses the range {@code [(s +
     * 1) * 2^40, (s + 1) * 2^40 + 2^31)}, so ranges never overlap.
     */
    public static long seedFor(Split split, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Expected a scene index >= 0, got " + index);
        }
        return ((long) (split.ordinal() + 1) << SPLIT_SHIFT) + index;
    }

    /** The split a seed from {@link #seedFor} belongs to. */
    public static Split splitOf(long seed) {
        int s = (int) (seed >>> SPLIT_SHIFT) - 1;
        if (s < 0
                || s >= Split.values().length
                || (seed & ((1L << SPLIT_SHIFT) - 1)) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Seed " + seed + " is not in any split's range");
        }
        return Split.values()[s];
    }

    /** Clip {@code index} of {@code split}. */
    public VideoSequence sequence(Split split, int index, int frames, int width, int height) {
        return generator.generate(seedFor(split, index), frames, width, height);
    }

    /** A still from scene {@code index} of {@code split}. */
    public LabeledFrame frame(Split split, int index, int width, int height) {
        return generator.generateFrame(seedFor(split, index), width, height);
    }

    public ClassTable classes() {
        return SyntheticVideoGenerator.CLASSES;
    }
}
