package io.canvasflow.trainer;

import io.canvasflow.clients.FrameSources;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.trainer.data.LabelledData;
import io.canvasflow.trainer.data.LabelledSources;
import io.canvasflow.trainer.data.SequenceRange;
import io.canvasflow.trainer.data.TopicLabelledData;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which of the frames an evaluation scores its model was trained on, by the lineage {@code train}
 * recorded in its model.json: the source, and for topic data the camera (none: every camera), the
 * frame numbers ({@code sequenceRange}, and each camera's, {@code cameraRanges}, where it read
 * every camera) and those held out ({@code heldOut}), in each of the camera's runs in the topic
 * that it read ({@code cameraRuns}, {@link RunsRead}), and the footage each camera's frames were
 * labelled from ({@code cameraFootage}): a frame of that footage with a number train read is one it
 * was trained on, whatever the camera id, run or topic it was labelled under. The one rule behind
 * evaluate's note that a score is the model's fit, not a held-out score, and the report's {@code
 * scoredOn}.
 */
final class TrainedFrames {

    private TrainedFrames() {}

    /**
     * What to say of a score of {@code scored} by a model whose lineage is {@code trained}.
     *
     * @param trained the model's lineage (empty when it records none)
     * @param scored the frames scored, as read (their sequences' ids not yet changed)
     * @return one sentence saying how many of the frames the model was trained on, or null when it
     *     was trained on none of them
     * @throws IllegalArgumentException when the lineage's frame numbers are not {@code FROM-TO}, or
     *     its runs not {@code FIRST/LAST} capture times
     */
    static String note(Map<?, ?> trained, LabelledData scored) {
        Object source = trained.get("source");
        boolean sameSource = source != null && source.equals(scored.lineage().get("source"));
        if (sameSource && !source.toString().startsWith(LabelledSources.TOPIC + ":")) {
            // files have no frame numbers, and train takes no held-out range for them
            return fit(scored.frameCount(), scored.frameCount(), source + " and no held-out range");
        }
        // footage -> the cameras whose frames of it train read, with their numbers
        Map<String, Map<String, SequenceRange>> footage = footage(trained);
        if (!sameSource && footage.isEmpty()) {
            return null;
        }
        String camera = trained.get("camera") instanceof String c ? c : null;
        SequenceRange range = recorded(trained, "sequenceRange");
        SequenceRange heldOut = recorded(trained, "heldOut");
        // each camera's range where train recorded them (older model.json files record only the
        // range over all cameras, which also covers the gaps between them)
        Map<String, SequenceRange> byCamera = cameraRanges(trained);
        RunsRead runs = RunsRead.of(trained, scored);
        List<VideoSequence> sequences = scored.sequences();
        List<long[]> captureMs = scored.captureMs();
        // "FOOTAGE frames R of camera C" where a frame counted by its footage alone
        Set<String> byFootage = new TreeSet<>();
        long overlap = 0;
        for (int i = 0; i < sequences.size(); i++) {
            String from = scored.footage().isEmpty() ? null : scored.footage().get(i);
            Map<String, SequenceRange> sameFootage =
                    from != null && fixedFootage(from) ? footage.get(from) : null;
            if (!sameSource && sameFootage == null) {
                continue;
            }
            TopicLabelledData.Numbered n = TopicLabelledData.numbered(sequences.get(i));
            // train read this camera (none recorded: every camera), in this topic
            boolean cameraRead =
                    sameSource
                            && (camera == null || camera.equals(n.camera()))
                            && (byCamera == null || byCamera.containsKey(n.camera()));
            SequenceRange read = byCamera != null ? byCamera.get(n.camera()) : range;
            for (int f = 0; f < sequences.get(i).size(); f++) {
                long number = n.frames().from() + f;
                if (heldOut != null && heldOut.contains(number)) {
                    continue; // a --holdout inside --frames
                }
                // frames train read, of a run it read (not one labelled into the topic since)
                if (cameraRead
                        && (read == null || read.contains(number))
                        && runs.read(
                                n.camera(), captureMs.isEmpty() ? null : captureMs.get(i)[f])) {
                    overlap++;
                    continue;
                }
                // or the same frame of the same footage, whatever the camera id, run or topic
                String trainedAs = trainedAs(sameFootage, number);
                if (trainedAs != null) {
                    overlap++;
                    byFootage.add(
                            from
                                    + " frames "
                                    + sameFootage.get(trainedAs)
                                    + " of camera "
                                    + trainedAs);
                }
            }
        }
        return fit(
                overlap,
                scored.frameCount(),
                source
                        + (camera != null ? ", camera " + camera : "")
                        + (byCamera != null
                                ? ", frames " + perCamera(byCamera)
                                : range != null ? ", frames " + range : "")
                        + (byFootage.isEmpty() ? "" : ", footage " + String.join(", ", byFootage))
                        + (heldOut != null ? ", held out " + heldOut : " and no held-out range"));
    }

    /**
     * Whether a frame number of footage {@code source} names the same frame whenever it is
     * labelled: a video file, an image folder, a synthetic scene; not a stream ({@code rtsp://},
     * {@code live:}) or a topic's camera (a topic source names no camera), whose numbers start
     * again with other frames.
     */
    static boolean fixedFootage(String source) {
        return !source.startsWith(LabelledSources.TOPIC + ":")
                && !source.startsWith(FrameSources.LIVE_PREFIX)
                && !source.contains("://");
    }

    /** The camera whose frames of the footage train read hold {@code number}, or null. */
    private static String trainedAs(Map<String, SequenceRange> sameFootage, long number) {
        if (sameFootage != null) {
            for (Map.Entry<String, SequenceRange> c : sameFootage.entrySet()) {
                if (c.getValue().contains(number)) {
                    return c.getKey();
                }
            }
        }
        return null;
    }

    /**
     * The footage the lineage records each camera's frames read were labelled from, turned to
     * footage -> camera -> frame numbers; empty where it records none (older model.json files).
     */
    private static Map<String, Map<String, SequenceRange>> footage(Map<?, ?> trained) {
        Map<String, Map<String, SequenceRange>> out = new TreeMap<>();
        if (trained.get(TopicLabelledData.CAMERA_FOOTAGE) instanceof Map<?, ?> recorded) {
            recorded.forEach(
                    (camera, sources) -> {
                        if (sources instanceof Map<?, ?> bySource) {
                            bySource.forEach(
                                    (source, r) ->
                                            out.computeIfAbsent(
                                                            source.toString(), s -> new TreeMap<>())
                                                    .put(
                                                            camera.toString(),
                                                            SequenceRange.parse(
                                                                    String.valueOf(r),
                                                                    "the model's lineage "
                                                                            + TopicLabelledData
                                                                                    .CAMERA_FOOTAGE
                                                                            + " of camera "
                                                                            + camera)));
                        }
                    });
        }
        return out;
    }

    private static String fit(long trainedOn, long scored, String records) {
        if (trainedOn == 0) {
            return null;
        }
        String which = trainedOn == scored ? "these" : trainedOn + " of these " + scored;
        return "the model was trained on "
                + which
                + " frames (its model.json records "
                + records
                + "), so this is "
                + (trainedOn == scored ? "its fit" : "partly its fit")
                + ", not a held-out score";
    }

    private static SequenceRange recorded(Map<?, ?> trained, String key) {
        return trained.get(key) instanceof String r
                ? SequenceRange.parse(r, "the model's lineage " + key)
                : null;
    }

    /** The lineage's range of each camera read, or null where it records none. */
    private static Map<String, SequenceRange> cameraRanges(Map<?, ?> trained) {
        if (!(trained.get(TopicLabelledData.CAMERA_RANGES) instanceof Map<?, ?> recorded)) {
            return null;
        }
        Map<String, SequenceRange> ranges = new TreeMap<>();
        recorded.forEach(
                (camera, r) ->
                        ranges.put(
                                camera.toString(),
                                SequenceRange.parse(
                                        String.valueOf(r),
                                        "the model's lineage "
                                                + TopicLabelledData.CAMERA_RANGES
                                                + " of camera "
                                                + camera)));
        return ranges;
    }

    /** "0-599 of camera a, 1000-1500 of camera b". */
    private static String perCamera(Map<String, SequenceRange> ranges) {
        StringJoiner out = new StringJoiner(", ");
        ranges.forEach((camera, r) -> out.add(r + " of camera " + camera));
        return out.toString();
    }
}
