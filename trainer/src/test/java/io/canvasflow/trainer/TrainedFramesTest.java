package io.canvasflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import io.canvasflow.trainer.data.LabelledData;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which scored frames a model's lineage says it was trained on. */
class TrainedFramesTest {

    private static final String TOPIC = "topic:frames-labelled";

    @Test
    void shouldCountOnlyTheRecordedCamerasFramesOutsideItsHeldOutRange() {
        // Given a model trained on camera a's frames 0-99, less 40-59 held out inside them
        Map<String, Object> trained = lineage(TOPIC, "a", "0-99", "40-59");
        // When it is scored on a's frames 30-69 and b's frames 30-69
        LabelledData scored = data(TOPIC, "a:30", 40, "b:30", 40);
        // Then 20 of the 80 are its training frames: a's 30-39 and 60-69, none of b's
        assertEquals(
                "the model was trained on 20 of these 80 frames (its model.json records "
                        + TOPIC
                        + ", camera a, frames 0-99, held out 40-59), so this is partly its fit,"
                        + " not a held-out score",
                TrainedFrames.note(trained, scored));
        // And on the held-out frames alone, or another camera's, nothing is said
        assertNull(TrainedFrames.note(trained, data(TOPIC, "a:40", 20)));
        assertNull(TrainedFrames.note(trained, data(TOPIC, "b:0", 100)));
        // nor for another topic's frames
        assertNull(TrainedFrames.note(trained, data("topic:other", "a:0", 100)));
    }

    @Test
    void shouldTakeAModelTrainedWithoutACameraToHaveSeenEveryCamerasFrames() {
        // Given a model trained on every camera's frames 10-19, nothing held out
        Map<String, Object> trained = lineage(TOPIC, null, "10-19", null);
        // When scored on two cameras' frames 10-19
        String note = TrainedFrames.note(trained, data(TOPIC, "a:10", 10, "b:10", 10));
        // Then that is all its fit
        assertEquals(
                "the model was trained on these frames (its model.json records "
                        + TOPIC
                        + ", frames 10-19 and no held-out range), so this is its fit, not a"
                        + " held-out score",
                note);
    }

    @Test
    void shouldCountOnlyEachCamerasOwnRangeWhereTheLineageRecordsThem() {
        // Given a model trained without --camera on camera a's frames 0-9 and b's 20-29
        Map<String, Object> trained = lineage(TOPIC, null, "0-29", null);
        trained.put("cameraRanges", Map.of("a", "0-9", "b", "20-29"));
        // When scored on a's frames 10-19, which lie between the two cameras' ranges, or on a
        // camera train did not read, Then none is its training frame (the range over all cameras,
        // 0-29, took all of a's 10-19 as trained on)
        assertNull(TrainedFrames.note(trained, data(TOPIC, "a:10", 10)));
        assertNull(TrainedFrames.note(trained, data(TOPIC, "c:0", 30)));
        // And on a's 5-14 and b's 15-24, half of each is
        assertEquals(
                "the model was trained on 10 of these 20 frames (its model.json records "
                        + TOPIC
                        + ", frames 0-9 of camera a, 20-29 of camera b and no held-out range), so"
                        + " this is partly its fit, not a held-out score",
                TrainedFrames.note(trained, data(TOPIC, "a:5", 10, "b:15", 10)));
    }

    @Test
    void shouldCountTheFramesOfEveryRunTrainReadAndNoneOfALaterRun() {
        // Given a model trained on camera a's frames 0-9 of each of its 2 runs in the topic, the
        // runs known by their capture times
        Map<String, Object> trained = lineage(TOPIC, "a", "0-9", null);
        trained.put("cameraRuns", Map.of("a", List.of(span(0, 10), span(1, 10))));
        // When scored on frames 5-14 of a's first, second and third run (labelled since)
        String note =
                TrainedFrames.note(
                        trained,
                        data(TOPIC, "a:5@" + at(0), 10, "a:5@" + at(1), 10, "a:5@" + at(2), 10));
        // Then the first two runs' 5-9 are its training frames, the third's are not
        assertEquals(
                "the model was trained on 10 of these 30 frames (its model.json records "
                        + TOPIC
                        + ", camera a, frames 0-9 and no held-out range), so this is partly its"
                        + " fit, not a held-out score",
                note);
    }

    @Test
    void shouldCountOnlyTheRunTrainReadWhenTheRunBeforeItIsDeleted() {
        // Given a model trained on camera a's frames 0-9 of its runs 1 and 2
        Map<String, Object> trained = lineage(TOPIC, "a", "0-9", null);
        trained.put("cameraRuns", Map.of("a", List.of(span(0, 10), span(1, 10))));
        // When scored on the topic once retention deleted run 1 and run 3 was labelled: it holds
        // runs 2 and 3
        String note =
                TrainedFrames.note(trained, data(TOPIC, "a:0@" + at(1), 10, "a:0@" + at(2), 10));
        // Then only run 2's frames are its training frames (run 3, second in the read now, was
        // counted as the second run read: "its fit")
        assertEquals(
                "the model was trained on 10 of these 20 frames (its model.json records "
                        + TOPIC
                        + ", camera a, frames 0-9 and no held-out range), so this is partly its"
                        + " fit, not a held-out score",
                note);
    }

    @Test
    void shouldCountTheFirstRunsOfTheReadWhereAnOlderModelRecordsHowManyItRead() {
        // Given an older model's lineage: camera a's frames 0-9 of the first 2 runs it read
        Map<String, Object> trained = lineage(TOPIC, "a", "0-9", null);
        trained.put("cameraRuns", Map.of("a", 2));
        // When scored on frames 5-14 of a's three runs
        LabelledData scored =
                data(TOPIC, "a:5@" + at(0), 10, "a:5@" + at(1), 10, "a:5@" + at(2), 10);
        Map<String, Object> read = new LinkedHashMap<>(scored.lineage());
        read.put("cameraRuns", Map.of("a", List.of(span(0, 10), span(1, 10), span(2, 10))));
        scored =
                new LabelledData(
                        scored.classes(),
                        scored.sequences(),
                        scored.description(),
                        read,
                        scored.captureMs());
        // Then the first two runs of this read count, as they did
        assertEquals(
                "the model was trained on 10 of these 30 frames (its model.json records "
                        + TOPIC
                        + ", camera a, frames 0-9 and no held-out range), so this is partly its"
                        + " fit, not a held-out score",
                TrainedFrames.note(trained, scored));
    }

    @Test
    void shouldCallPhotosOfTheSourceItWasTrainedOnItsFit() {
        Map<String, Object> trained = lineage("voc:/data/voc", null, null, null);
        LabelledData photos = data("voc:/data/voc", "2011_000003", 1, "2011_000006", 1);
        assertEquals(
                "the model was trained on these frames (its model.json records voc:/data/voc and"
                        + " no held-out range), so this is its fit, not a held-out score",
                TrainedFrames.note(trained, photos));
        assertNull(TrainedFrames.note(Map.of(), photos));
    }

    private static Map<String, Object> lineage(
            String source, String camera, String range, String heldOut) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        if (camera != null) {
            m.put("camera", camera);
        }
        if (range != null) {
            m.put("sequenceRange", range);
        }
        if (heldOut != null) {
            m.put("heldOut", heldOut);
        }
        return m;
    }

    /**
     * Data of {@code source}: sequences by id (a topic's are {@code CAMERA:FIRST}) and size, of
     * blank frames, captured a second apart from the run's capture time its id names ({@code
     * CAMERA:FIRST@CAPTURED}), or else from {@link #at at(i)} for the i-th sequence.
     */
    private static LabelledData data(String source, Object... idsAndSizes) {
        List<VideoSequence> sequences = new ArrayList<>();
        List<long[]> captureMs = new ArrayList<>();
        for (int i = 0; i < idsAndSizes.length; i += 2) {
            List<LabeledFrame> frames = new ArrayList<>();
            String id = (String) idsAndSizes[i];
            Instant start =
                    id.contains("@") ? Instant.parse(id.substring(id.indexOf('@') + 1)) : at(i / 2);
            long[] captured = new long[(int) idsAndSizes[i + 1]];
            for (int f = 0; f < captured.length; f++) {
                frames.add(
                        LabeledFrame.wrap(
                                new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR),
                                new byte[4]));
                captured[f] = start.plusSeconds(f).toEpochMilli();
            }
            sequences.add(new VideoSequence((String) idsAndSizes[i], frames));
            captureMs.add(captured);
        }
        return new LabelledData(
                ClassTable.withVocPalette(List.of("background", "person")),
                sequences,
                source,
                LabelledData.lineage(source, sequences.size()),
                captureMs);
    }

    /** When the frames of run (or sequence) {@code i} start: a day apart. */
    private static Instant at(int i) {
        return Instant.parse("2024-05-01T10:00:00Z").plus(Duration.ofDays(i));
    }

    /** Run {@code i}'s capture times, {@code frames} frames a second apart, as a lineage has it. */
    private static String span(int i, int frames) {
        return at(i) + "/" + at(i).plusSeconds(frames - 1);
    }
}
