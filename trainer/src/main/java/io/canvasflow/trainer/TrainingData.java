package io.canvasflow.trainer;

import io.canvasflow.synthetic.LabeledFrame;
import java.util.List;

/**
 * Where training frames come from: single frames, and clips of consecutive frames for the video
 * phase.
 */
public interface TrainingData {

    /** The i-th training frame; the same index gives the same frame. */
    LabeledFrame still(long index);

    /** The i-th clip of {@code frames} consecutive frames of one camera. */
    List<LabeledFrame> clip(long index, int frames);

    /** A one-line description for model.json. */
    String description();
}
