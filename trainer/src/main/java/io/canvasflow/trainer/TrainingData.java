package io.canvasflow.trainer;

import io.canvasflow.trainer.data.LabeledFrame;
import java.util.List;

/** Where training frames come from: single frames, and consecutive pairs for the video phase. */
public interface TrainingData {

    /** The i-th training frame; the same index gives the same frame. */
    LabeledFrame still(long index);

    /** The i-th pair of consecutive frames of one camera. */
    List<LabeledFrame> pair(long index);

    /** A one-line description for model.json. */
    String description();
}
