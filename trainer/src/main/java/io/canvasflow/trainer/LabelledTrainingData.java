package io.canvasflow.trainer;

import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.trainer.data.LabelledData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Training frames from a fixed set of labelled frames (a dataset folder or a labelled-frames
 * topic): stills go through the frames in a new shuffled order every epoch; a clip is a run of
 * consecutive frames of one camera, its start drawn at random (a sequence shorter than the clip
 * repeats its last frame, as a camera that sees nothing move would).
 */
public final class LabelledTrainingData implements TrainingData {

    private final LabelledData data;
    private final List<LabeledFrame> frames;
    private final long seed;
    private long shuffledEpoch = -1;
    private List<Integer> order;

    /** Frames of {@code data}, already at the model's input size. */
    public LabelledTrainingData(LabelledData data, long seed) {
        if (data.frameCount() == 0) {
            throw new IllegalArgumentException("no labelled frames to train on");
        }
        this.data = data;
        this.frames = data.frames();
        this.seed = seed;
    }

    @Override
    public synchronized LabeledFrame still(long index) {
        long epoch = index / frames.size();
        if (epoch != shuffledEpoch) {
            List<Integer> o = new ArrayList<>(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                o.add(i);
            }
            Collections.shuffle(o, new Random(seed * 1_000_003L + epoch));
            order = o;
            shuffledEpoch = epoch;
        }
        return frames.get(order.get((int) (index % frames.size())));
    }

    @Override
    public List<LabeledFrame> clip(long index, int length) {
        Random random = new Random(seed * 31 + index);
        int pick = random.nextInt(frames.size());
        VideoSequence sequence = null;
        for (VideoSequence s : data.sequences()) {
            if (pick < s.size()) {
                sequence = s;
                break;
            }
            pick -= s.size();
        }
        int start = Math.max(0, Math.min(pick, sequence.size() - length));
        List<LabeledFrame> out = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            out.add(sequence.frame(Math.min(sequence.size() - 1, start + t)));
        }
        return out;
    }

    @Override
    public String description() {
        return data.description();
    }
}
