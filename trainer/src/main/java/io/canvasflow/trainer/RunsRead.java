package io.canvasflow.trainer;

import io.canvasflow.trainer.data.CameraRuns;
import io.canvasflow.trainer.data.LabelledData;
import io.canvasflow.trainer.data.TopicLabelledData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which of a camera's runs in a labelled-frames topic a model's lineage says {@code train} read
 * ({@code cameraRuns}), asked of each scored frame by its capture time: a frame is of a run read
 * when it was captured within one of the camera's runs recorded. A run is known by its capture
 * times, not its position among the runs, so a run labelled since is not read, nor one that takes
 * the place of a run retention deleted; a run retention cut the start off is still the run read.
 */
final class RunsRead {

    /** The runs read of each camera recorded, or null where the lineage records none. */
    private final Map<String, List<CameraRuns.Span>> spans;

    /** How many runs of each camera an older model.json recorded, in the order of the read. */
    private final Map<String, Integer> counts;

    /** Each camera's runs in the scored read, in order: for an older count. */
    private final Map<?, ?> scoredRuns;

    private RunsRead(
            Map<String, List<CameraRuns.Span>> spans,
            Map<String, Integer> counts,
            Map<?, ?> scoredRuns) {
        this.spans = spans;
        this.counts = counts;
        this.scoredRuns = scoredRuns;
    }

    /**
     * The runs {@code trained} records as read.
     *
     * @throws IllegalArgumentException when a run recorded is not {@code FIRST/LAST}
     */
    static RunsRead of(Map<?, ?> trained, LabelledData scored) {
        if (!(trained.get(TopicLabelledData.CAMERA_RUNS) instanceof Map<?, ?> recorded)) {
            // older model.json files record no runs: every run counts
            return new RunsRead(null, null, null);
        }
        Map<String, List<CameraRuns.Span>> spans = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        recorded.forEach(
                (camera, runs) -> {
                    if (runs instanceof Number count) {
                        counts.put(camera.toString(), count.intValue());
                    } else if (runs instanceof List<?> list) {
                        List<CameraRuns.Span> read = new ArrayList<>();
                        for (Object run : list) {
                            read.add(
                                    CameraRuns.Span.parse(
                                            String.valueOf(run),
                                            "the model's lineage "
                                                    + TopicLabelledData.CAMERA_RUNS
                                                    + " of camera "
                                                    + camera));
                        }
                        spans.put(camera.toString(), read);
                    }
                });
        Map<?, ?> scoredRuns =
                scored.lineage().get(TopicLabelledData.CAMERA_RUNS) instanceof Map<?, ?> m
                        ? m
                        : Map.of();
        return new RunsRead(spans, counts, scoredRuns);
    }

    /**
     * Whether the camera's frame captured at {@code captureMs} is of a run read.
     *
     * @param captureMs when it was captured, or null where the read has no capture times (taken as
     *     read: nothing tells otherwise)
     */
    boolean read(String camera, Long captureMs) {
        if (spans == null || captureMs == null) {
            return true;
        }
        List<CameraRuns.Span> runs = spans.get(camera);
        if (runs != null) {
            return runs.stream().anyMatch(r -> r.contains(captureMs));
        }
        Integer count = counts.get(camera);
        if (count == null) {
            return false; // train read none of this camera's runs
        }
        // an older model.json counted the runs of its read: the first so many of this one
        int run = 1;
        if (scoredRuns.get(camera) instanceof List<?> scored) {
            for (Object span : scored) {
                if (CameraRuns.Span.parse(String.valueOf(span), "a run read").contains(captureMs)) {
                    return run <= count;
                }
                run++;
            }
        }
        return true;
    }
}
