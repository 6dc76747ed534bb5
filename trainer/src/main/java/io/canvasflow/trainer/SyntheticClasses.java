package io.canvasflow.trainer;

import io.canvasflow.model.ModelSpec;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.trainer.data.ClassMapping;

/**
 * The classes the synthetic test split is scored in, checked before anything is read or written.
 * Its labels are mapped by name into the scored model's classes, as labelled footage's are ({@link
 * ModelClassMapping}), so the model must have every class of the split: scored by index, a model of
 * other classes got figures that meant nothing, or lost the labels past its last class. The
 * baseline is scored in the model's columns, so it must have the model's classes: one of more
 * classes predicted past the confusion matrix and failed after the whole model was evaluated.
 */
final class SyntheticClasses {

    /** What to give instead of a {@code --model} without the split's classes. */
    static final String MODEL_INSTEAD =
            "give a model trained on the synthetic data (such as the shipped models/rnn) as"
                    + " --model, or score this one on labelled footage of its classes with --data";

    /** What to give instead of a {@code --baseline} of other classes. */
    static final String BASELINE_INSTEAD =
            "give a feed-forward model of those classes as --baseline (such as the shipped"
                    + " models/ff, beside a model trained on the synthetic data), or none";

    /** {@link EvaluateCommand#run}'s: what to give instead of a model without the classes. */
    static final String RUN_MODEL_INSTEAD =
            "give a model trained on the synthetic data as modelDir, or score this one on"
                    + " labelled footage of its classes with FootageEvaluation";

    /** {@link EvaluateCommand#run}'s: what to give instead of a baseline of other classes. */
    static final String RUN_BASELINE_INSTEAD =
            "give a feed-forward model of those classes as baselineDir, or null";

    private SyntheticClasses() {}

    /**
     * The split's labels into {@code model}'s classes, by name.
     *
     * @param named the model as the sentence names it, e.g. {@code --model DIR}
     * @param instead what to give instead
     * @throws IllegalArgumentException in one sentence naming the model's classes and the split's,
     *     where the model does not have one of the split's
     * @throws io.canvasflow.trainer.data.DatasetException where the model names a class twice
     */
    static ClassMapping intoModel(ModelSpec model, String named, String instead) {
        ClassMapping mapping =
                ClassMapping.identity(ClassTable.SYNTHETIC)
                        .into(new ClassTable(model.classNames(), model.classColors()));
        if (mapping == null) {
            throw new IllegalArgumentException(
                    named
                            + " has the classes "
                            + model.classNames()
                            + ", not every class of the synthetic test split "
                            + ClassTable.SYNTHETIC.names()
                            + "; "
                            + instead);
        }
        return mapping;
    }

    /**
     * Null, or why {@code baseline} cannot be scored beside {@code model}: its classes are not the
     * model's, in the model's order.
     *
     * @param named the baseline as the sentence names it, e.g. {@code --baseline DIR}
     * @param modelNamed the model as the sentence names it
     * @param instead what to give instead
     */
    static String baselineProblem(
            ModelSpec baseline, ModelSpec model, String named, String modelNamed, String instead) {
        return baseline.classNames().equals(model.classNames())
                ? null
                : named
                        + " has the classes "
                        + baseline.classNames()
                        + ", not those of "
                        + modelNamed
                        + " "
                        + model.classNames()
                        + ", whose columns it is scored in; "
                        + instead;
    }
}
