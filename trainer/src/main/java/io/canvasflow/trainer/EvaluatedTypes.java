package io.canvasflow.trainer;

import io.canvasflow.model.ModelSpec;

/**
 * The model type each place of an evaluation on the synthetic test split takes, said in one
 * sentence otherwise: the model scored must refine a canvas (a feed-forward one runs one pass
 * whatever it is asked, so its "iterations" would be the same pass charged again, and the seeded
 * bars would pass by default; it is scored there as the baseline, and on labelled footage as its
 * one pass, {@link FootageEvaluation}), and the baseline must not (a recurrent one's first
 * iteration would be reported as the feed-forward row).
 */
final class EvaluatedTypes {

    /** What to give instead of a feed-forward model on the synthetic test split. */
    static final String SYNTHETIC_MODEL_INSTEAD =
            "give a recurrent model as --model, and this one as --baseline to score it beside it"
                    + " (or score it alone, one pass a frame, on labelled footage with --data)";

    /** What to give instead of a recurrent baseline. */
    static final String BASELINE_INSTEAD =
            "give a feed-forward model as --baseline (the shipped models/ff by default), or none";

    /** {@link EvaluateCommand#run}'s: what to give instead of a feed-forward model. */
    static final String RUN_MODEL_INSTEAD =
            "give a recurrent model as modelDir, and this one as baselineDir to score it beside it";

    /** {@link EvaluateCommand#run}'s: what to give instead of a recurrent baseline. */
    static final String RUN_BASELINE_INSTEAD = "give a feed-forward model as baselineDir, or null";

    private EvaluatedTypes() {}

    /**
     * Null, or why {@code spec} cannot be the model scored.
     *
     * @param named the model as the sentence names it, e.g. {@code --model DIR}
     * @param instead what to give instead
     */
    static String modelProblem(ModelSpec spec, String named, String instead) {
        return spec.network().type().readsCanvas()
                ? null
                : named
                        + " is a feed-forward model, which runs one pass a frame and has no"
                        + " iterations to evaluate; "
                        + instead;
    }

    /**
     * Null, or why {@code spec} cannot be the feed-forward baseline.
     *
     * @param named the baseline as the sentence names it, e.g. {@code --baseline DIR}
     * @param instead what to give instead
     */
    static String baselineProblem(ModelSpec spec, String named, String instead) {
        return spec.network().type().readsCanvas()
                ? named
                        + " is a recurrent model, whose first iteration would be reported as the"
                        + " feed-forward baseline; "
                        + instead
                : null;
    }

    /** Throws {@link IllegalArgumentException} with {@code problem}, unless it is null. */
    static void refuse(String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
