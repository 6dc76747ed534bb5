package io.canvasflow.trainer.data;

import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.model.ImageTensors;
import io.canvasflow.schemas.FrameOrder;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled frames read from one source (a dataset folder, a labelled-frames topic, the synthetic
 * generator), in the classes they were labelled with.
 *
 * <p>Frames are grouped in sequences: consecutive frames of one camera, in time order, that a
 * recurrent model may chain as the topology chains them; a photo collection is a list of one-frame
 * sequences.
 *
 * @param classes the classes the labels index; 255 is the ignore label
 * @param sequences the frames, grouped
 * @param description one line for model.json and reports
 * @param lineage where the labels came from (source, teacher, camera, frame range), for model.json
 * @param captureMs when each frame was captured, epoch milliseconds, one array per sequence in the
 *     sequences' order; empty when the source records no capture time (files, the generator)
 * @param footage the footage each sequence was labelled from ({@code labels.source}, null where its
 *     frames record none), one per sequence in the sequences' order; empty where the source records
 *     none (files, the generator): what tells training footage labelled under another camera id
 *     ({@code TrainedFrames})
 */
public record LabelledData(
        ClassTable classes,
        List<VideoSequence> sequences,
        String description,
        Map<String, Object> lineage,
        List<long[]> captureMs,
        List<String> footage) {

    /**
     * Copies the lists and the capture times, keeping the lineage's order.
     *
     * @throws IllegalArgumentException when capture times are given but not one per frame, or
     *     footage but not one per sequence
     */
    public LabelledData {
        if (!footage.isEmpty() && footage.size() != sequences.size()) {
            throw new IllegalArgumentException(
                    "expected the footage of each of the "
                            + sequences.size()
                            + " sequences, or none");
        }
        // a sequence whose frames record no footage is null, which List.copyOf refuses
        footage = Collections.unmodifiableList(new ArrayList<>(footage));
        sequences = List.copyOf(sequences);
        lineage = Collections.unmodifiableMap(new LinkedHashMap<>(lineage));
        boolean onePerFrame = captureMs.isEmpty() || captureMs.size() == sequences.size();
        for (int i = 0; onePerFrame && i < captureMs.size(); i++) {
            onePerFrame = captureMs.get(i).length == sequences.get(i).size();
        }
        if (!onePerFrame) {
            throw new IllegalArgumentException(
                    "expected a capture time per frame of each of the "
                            + sequences.size()
                            + " sequences, or none");
        }
        captureMs = captureMs.stream().map(long[]::clone).toList();
    }

    /** Frames whose footage is not recorded. */
    public LabelledData(
            ClassTable classes,
            List<VideoSequence> sequences,
            String description,
            Map<String, Object> lineage,
            List<long[]> captureMs) {
        this(classes, sequences, description, lineage, captureMs, List.of());
    }

    /** Frames without capture times. */
    public LabelledData(
            ClassTable classes,
            List<VideoSequence> sequences,
            String description,
            Map<String, Object> lineage) {
        this(classes, sequences, description, lineage, List.of());
    }

    /** A copy of the capture times. */
    @Override
    public List<long[]> captureMs() {
        return captureMs.stream().map(long[]::clone).toList();
    }

    /** Whether the source recorded when each frame was captured. */
    public boolean hasCaptureTimes() {
        return !captureMs.isEmpty();
    }

    /**
     * Each sequence cut into the runs the topology seeds through: a frame captured more than {@code
     * maxGapMs} before or after its predecessor starts a new run, from a zero canvas, as serve's
     * {@code canvas.max.gap.ms} resets a camera's canvas. A sequence without capture times, or a
     * {@code maxGapMs} of 0 (serve's "no limit"), is one run. A run after the first is named after
     * the sequence and its first frame's index in it: {@code cam:5+12}.
     *
     * @return per sequence, in order, its runs in time order
     */
    public List<List<VideoSequence>> seededRuns(long maxGapMs) {
        List<List<VideoSequence>> out = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            VideoSequence s = sequences.get(i);
            if (!hasCaptureTimes() || maxGapMs <= 0) {
                out.add(List.of(s));
                continue;
            }
            long[] times = captureMs.get(i);
            List<VideoSequence> runs = new ArrayList<>();
            int start = 0;
            for (int f = 1; f <= s.size(); f++) {
                if (f == s.size() || FrameOrder.gapExceeds(times[f], times[f - 1], maxGapMs)) {
                    String id = start == 0 ? s.id() : s.id() + "+" + start;
                    runs.add(new VideoSequence(id, s.frames().subList(start, f)));
                    start = f;
                }
            }
            out.add(runs.isEmpty() ? List.of(s) : runs);
        }
        return out;
    }

    /**
     * A lineage in the order given, for model.json and the evaluation report ({@code Map.of}
     * iterates in an order that changes from one JVM to the next).
     *
     * @param source where the labels came from: {@code voc:DIR}
     * @param frames how many labelled frames
     * @return the source, then the frames
     */
    public static Map<String, Object> lineage(String source, int frames) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("frames", frames);
        return out;
    }

    /** The number of frames in all sequences. */
    public int frameCount() {
        return sequences.stream().mapToInt(VideoSequence::size).sum();
    }

    /** Every frame, sequence after sequence. */
    public List<LabeledFrame> frames() {
        List<LabeledFrame> out = new ArrayList<>(frameCount());
        sequences.forEach(s -> out.addAll(s.frames()));
        return out;
    }

    /** The same frames with labels passed through {@code mapping} into its target classes. */
    public LabelledData mapped(ClassMapping mapping) {
        List<VideoSequence> out = new ArrayList<>(sequences.size());
        for (VideoSequence s : sequences) {
            List<LabeledFrame> frames = new ArrayList<>(s.size());
            for (LabeledFrame f : s.frames()) {
                frames.add(LabeledFrame.wrap(f.image(), mapping.apply(f.labels())));
            }
            out.add(new VideoSequence(s.id(), frames));
        }
        return new LabelledData(mapping.target(), out, description, lineage, captureMs, footage);
    }

    /**
     * Loss weights that keep a rare class from being drowned by a common one: {@code 1 / sqrt(share
     * of labelled pixels)} per class, scaled so the average labelled pixel weighs 1 (a class with
     * no pixel gets 1). The square root keeps a class of 1 % of the pixels at about ten times the
     * weight of the rest, not a hundred times, so the model does not trade many false alarms for
     * it.
     */
    public float[] balancedClassWeights() {
        int n = classes.size();
        long[] counts = new long[n];
        long total = 0;
        for (LabeledFrame f : frames()) {
            int[] h = f.labelHistogram();
            for (int c = 0; c < n; c++) {
                counts[c] += h[c];
                total += h[c];
            }
        }
        float[] w = new float[n];
        double mean = 0;
        for (int c = 0; c < n; c++) {
            double share = (double) counts[c] / Math.max(1, total);
            w[c] = counts[c] == 0 ? 1f : (float) (1 / Math.sqrt(share));
            mean += share * w[c];
        }
        for (int c = 0; c < n; c++) {
            w[c] = (float) (w[c] / Math.max(mean, 1e-9));
        }
        return w;
    }

    /**
     * The frame resized to {@code width x height} (the image bilinear, the labels nearest: a label
     * is never blended), so a model of that input size trains and is scored at its own resolution.
     */
    static LabeledFrame resize(LabeledFrame f, int width, int height) {
        if (f.width() == width && f.height() == height) {
            return f;
        }
        return LabeledFrame.wrap(
                ImageTensors.resize(f.image(), width, height),
                ImageCodecs.nearest(f.labels(), f.width(), f.height(), width, height));
    }
}
