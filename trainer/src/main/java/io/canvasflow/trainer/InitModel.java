package io.canvasflow.trainer;

import io.canvasflow.clients.CliValues;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.ModelType;
import io.canvasflow.model.RecurrentSegmentationNet;
import io.canvasflow.model.SegmentationModel;
import java.nio.file.Path;

/**
 * What {@code train --init} takes from its initial model's model.json, checked against the run's
 * options before any data is read: its input size, and the iterations it is served at unless the
 * run names others.
 *
 * @param dir the {@code --init} folder
 * @param spec its model.json
 */
record InitModel(Path dir, ModelSpec spec) {

    /** Reads {@code dir}'s model.json. */
    static InitModel read(Path dir) {
        return new InitModel(dir, SegmentationModel.readSpec(dir));
    }

    /**
     * Reads {@code dir}'s model.json and checks the parameter file it names (its size and SHA-256,
     * as evaluate and serve check a model before they start): a truncated or corrupt {@code --init}
     * model is said before the data, which can take minutes to read, not after.
     */
    static InitModel checked(Path dir) {
        return new InitModel(dir, SegmentationModel.checkFiles(dir));
    }

    /**
     * The frame and model input size: the initial model's (a network fine-tuned on frames of
     * another size would be served at its recorded one), which {@code --frame}, if given, must be
     * and {@code --crop} must fit in.
     */
    int[] frameSize(String frame, String crop) {
        int w = spec.input().width();
        int h = spec.input().height();
        int[] given = frame == null ? null : CliValues.size(frame, "--frame");
        if (given != null && (given[0] != w || given[1] != h)) {
            throw new IllegalArgumentException(
                    "--frame "
                            + frame
                            + " is not the "
                            + w
                            + "x"
                            + h
                            + " input of the --init model "
                            + dir
                            + "; leave --frame out to fine-tune at that size");
        }
        int[] cropSize = CliValues.size(crop, "--crop");
        if (cropSize[0] > w || cropSize[1] > h) {
            throw new IllegalArgumentException(
                    "--crop "
                            + crop
                            + " does not fit in the "
                            + w
                            + "x"
                            + h
                            + " frames of the --init model "
                            + dir
                            + "; give a --crop of at most "
                            + w
                            + "x"
                            + h);
        }
        return new int[] {w, h};
    }

    /** The iterations from a zero canvas it is served at: its {@code iterationsTrained}. */
    int fullIterations() {
        return spec.defaultFullIterations();
    }

    /**
     * The iterations its clips' seeded frames ran ({@code seededIterations} in its metrics), or the
     * default for a model that trained on no clip.
     */
    int seededIterations() {
        Object recorded = spec.metrics() == null ? null : spec.metrics().get("seededIterations");
        return recorded instanceof Number n
                ? n.intValue()
                : RecurrentSegmentationNet.DEFAULT_SEEDED_ITERATIONS;
    }

    /**
     * The spec, checked against a run's type, named as {@code --type} names it (rnn, ff): for a
     * caller of {@link CanvasTrainer} with no command line.
     */
    ModelSpec ofType(ModelType wanted) {
        return ofType(wanted, typeOption(wanted));
    }

    /**
     * The spec, checked against this run's type: said before the data is read, so that a wrong
     * model is said at once.
     *
     * @param typeOption the {@code --type} given, as it was written
     */
    ModelSpec ofType(ModelType wanted, String typeOption) {
        ModelType found = spec.network().type();
        if (found != wanted) {
            throw new IllegalArgumentException(
                    "--init "
                            + dir
                            + " holds "
                            + typeName(found)
                            + " model but --type is "
                            + typeOption
                            + "; give --type "
                            + typeOption(found)
                            + " or "
                            + typeName(wanted)
                            + " model");
        }
        return spec;
    }

    private static String typeOption(ModelType t) {
        return t == ModelType.RECURRENT ? "rnn" : "ff";
    }

    private static String typeName(ModelType t) {
        return t == ModelType.RECURRENT ? "a recurrent (rnn)" : "a feed-forward (ff)";
    }
}
