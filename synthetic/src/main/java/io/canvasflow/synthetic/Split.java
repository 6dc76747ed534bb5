package io.canvasflow.synthetic;

/** A dataset split; synthetic splits draw their scenes from disjoint seed ranges. */
public enum Split {
    TRAIN,
    VALIDATION,
    TEST
}
