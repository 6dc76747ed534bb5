package io.canvasflow.trainer.data;

import io.canvasflow.clients.ClassMap;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.schemas.KafkaClientFailure;
import io.canvasflow.schemas.LabelMetadata;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.TopicSnapshot;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.synthetic.LabeledFrame;
import io.canvasflow.synthetic.VideoSequence;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads labelled frames from a Kafka topic (as {@code canvasflow label} writes them): every
 * committed record from the beginning to the end offsets at the time of the call. A camera's
 * consecutive frames become one sequence, so clip training and seeded evaluation chain them as the
 * topology would; a gap in the sequence numbers starts a new sequence. Each frame's capture time is
 * kept ({@link LabelledData#captureMs}), so that a seeded evaluation resets where serve would.
 *
 * <p>Each {@code label} run numbers its frames from the source's frame index, so two runs of one
 * camera into one topic repeat numbers. As serve reads a camera's count going back (its
 * SEQUENCE_RESTART), a frame numbered at or below its camera's frame before it, in capture order,
 * starts a new run ({@link CameraRuns}): each run keeps all its frames in sequences of its own, and
 * a frame range selects by number within every run.
 */
public final class TopicLabelledData {

    /**
     * The lineage's key for each camera's first-last frame numbers read, when every camera was read
     * (no camera asked for).
     */
    public static final String CAMERA_RANGES = "cameraRanges";

    /**
     * The lineage's key for the runs of each camera read (a run after the first starts where the
     * camera's frame numbers start again), each as the first and last capture times of its frames
     * ({@link CameraRuns.Span}): a run labelled into the topic later is not one that was read, and
     * a run stays the same run when retention deletes the runs before it. Older model.json files
     * record a count of runs here.
     */
    public static final String CAMERA_RUNS = "cameraRuns";

    /**
     * The lineage's key for the footage each camera's frames read were labelled from ({@code
     * labels.source}), each with the first-last frame numbers read of it: the same footage labelled
     * under another camera id is the same frames ({@code TrainedFrames}).
     */
    public static final String CAMERA_FOOTAGE = "cameraFootage";

    /**
     * What a sequence's id puts between its first frame number and its run's first capture time.
     */
    private static final String RUN_MARK = "@";

    /**
     * A run's mark in a sequence's id: an ISO-8601 instant, and a count where two runs share it.
     */
    private static final Pattern MARKED =
            Pattern.compile(
                    "(.*)@[-+]?\\d{4,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z(#\\d+)?");

    private static final Logger LOG = LoggerFactory.getLogger(TopicLabelledData.class);

    /** How long a read waits for its next record before it gives up. */
    public static final Duration IDLE_LIMIT = Duration.ofSeconds(60);

    private TopicLabelledData() {}

    /**
     * What to read.
     *
     * @param kafka the cluster's client configuration: {@code bootstrap.servers} and any security
     *     settings
     * @param topic the topic of labelled frames
     * @param camera only this camera's frames, or null for every camera
     * @param range only these sequence numbers, in each of a camera's runs
     * @param exclude none of these sequence numbers, in any run (frames held out for evaluation),
     *     or null; a read with no labelled frame in them is refused
     * @param width frames are resized to this width as they are read (0: keep)
     * @param height likewise
     * @param idleLimit the read fails when no record comes for this long before the end (a long
     *     topic takes as long as it takes)
     */
    public record Request(
            Map<String, String> kafka,
            Topic<String, Frame> topic,
            String camera,
            SequenceRange range,
            SequenceRange exclude,
            int width,
            int height,
            Duration idleLimit) {}

    /**
     * Reads the frames.
     *
     * @throws DatasetException naming the topic, or the record's partition and offset, when the
     *     topic is missing, no record comes for the request's idle limit before the end, a record's
     *     labels do not decode or do not fit its image, frames disagree on their classes, or no
     *     labelled frame matches, or none lies in the held-out range
     */
    public static LabelledData read(Request request) {
        // camera -> its frames, selected or not, by partition
        Map<String, CameraRuns<Captured>> seen = new TreeMap<>();
        List<String> classes = null;
        String teacher = null;
        TreeSet<String> allCameras = new TreeSet<>();
        LabelledNumbers numbers = new LabelledNumbers();
        String topic = request.topic().name();
        Map<String, Object> config = TopicSnapshot.consumerConfig(request.kafka());
        try (TopicSnapshot.Reader<String, Frame> reader =
                snapshot(config, topic)
                        .open(
                                config,
                                request.topic().keySerde().deserializer(),
                                request.topic().valueSerde().deserializer())) {
            long lastRecord = System.nanoTime();
            while (!reader.atEnd()) {
                List<ConsumerRecord<String, Frame>> records = reader.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, Frame> record : records) {
                    Frame frame = record.value();
                    if (frame == null) {
                        continue;
                    }
                    allCameras.add(frame.getCameraId());
                    if (request.camera() != null && !request.camera().equals(frame.getCameraId())) {
                        continue;
                    }
                    Captured kept = null;
                    if (frame.getGroundTruth() != null) {
                        numbers.add(
                                frame.getCameraId(),
                                frame.getSequence(),
                                request.exclude() != null
                                        && request.exclude().contains(frame.getSequence()));
                    }
                    if (frame.getGroundTruth() != null
                            && request.range().contains(frame.getSequence())
                            && (request.exclude() == null
                                    || !request.exclude().contains(frame.getSequence()))) {
                        String where = topic + "-" + record.partition() + "@" + record.offset();
                        List<String> names = classesOf(frame, where);
                        if (classes == null) {
                            classes = names;
                            teacher = frame.getMetadata().get(LabelMetadata.TEACHER);
                        } else if (!classes.equals(names)) {
                            throw new DatasetException(
                                    "Labelled frame "
                                            + where
                                            + " has classes "
                                            + names
                                            + " but earlier frames have "
                                            + classes
                                            + "; read one labelling at a time");
                        }
                        kept =
                                new Captured(
                                        decode(frame, where, request),
                                        captureMs(frame),
                                        frame.getMetadata().get(LabelMetadata.SOURCE));
                    }
                    // every frame of the camera, selected or not, so that a run's bounds do not
                    // depend on the range asked for
                    seen.computeIfAbsent(frame.getCameraId(), c -> new CameraRuns<>())
                            .add(record.partition(), frame.getSequence(), captureMs(frame), kept);
                }
                // only waiting counts, not decoding: the clock starts again after the batch (or
                // a stretch of aborted records the read moved past)
                if (reader.moved()) {
                    lastRecord = System.nanoTime();
                } else if (!reader.atEnd()
                        && System.nanoTime() - lastRecord > request.idleLimit().toNanos()) {
                    throw new DatasetException(
                            "Reading topic "
                                    + topic
                                    + ": no record came for "
                                    + request.idleLimit().toSeconds()
                                    + " s, although it is not read to its end");
                }
            }
        } catch (KafkaException e) {
            throw new DatasetException(
                    "Could not read topic "
                            + topic
                            + " from "
                            + request.kafka().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                            + ": "
                            + KafkaClientFailure.describe(e),
                    e);
        }
        // camera -> its runs that have frames selected, in capture order
        Map<String, List<CameraRuns.Run<Captured>>> byCamera = new TreeMap<>();
        seen.forEach(
                (c, runs) -> {
                    List<CameraRuns.Run<Captured>> read = runs.runs();
                    if (!read.isEmpty()) {
                        byCamera.put(c, read);
                    }
                });
        if (byCamera.isEmpty()) {
            throw new DatasetException(noFrames(request, allCameras, numbers));
        }
        if (request.exclude() != null && numbers.heldOut() == 0) {
            // recorded, it would be the held-out range evaluate reads by default, and finds empty
            throw new DatasetException(noneHeldOut(request, numbers));
        }
        byCamera.forEach(
                (c, runs) -> {
                    if (runs.size() > 1) {
                        LOG.info(
                                "Camera {}'s {} frames read from topic {} come from {} runs (its"
                                        + " frame numbers start again, as each label run numbers"
                                        + " from its footage's start): each run is kept as"
                                        + " sequences of its own, and frame ranges select by"
                                        + " number within every run",
                                c,
                                runs.stream().mapToInt(r -> r.selected().size()).sum(),
                                topic,
                                runs.size());
                    }
                });
        List<VideoSequence> sequences = new ArrayList<>();
        List<long[]> captureMs = new ArrayList<>();
        List<String> footage = new ArrayList<>();
        sequences(byCamera, sequences, captureMs, footage);
        return new LabelledData(
                ClassTable.withVocPalette(classes),
                sequences,
                "labelled frames of topic " + topic,
                lineage(request, byCamera, teacher),
                captureMs,
                footage);
    }

    private static long captureMs(Frame frame) {
        return frame.getCaptureTimestamp().toEpochMilli();
    }

    /**
     * A labelled frame, when it was captured (epoch milliseconds) and the footage it was labelled
     * from ({@code labels.source}, or null).
     */
    private record Captured(LabeledFrame frame, long captureMs, String footage) {}

    /**
     * Which camera's frames, by their sequence numbers, one of {@link #read}'s sequences holds.
     *
     * @param camera the camera
     * @param frames the sequence's frame numbers, consecutive
     */
    public record Numbered(String camera, SequenceRange frames) {}

    /**
     * The camera and frame numbers of a sequence {@link #read} made, from its id ({@code
     * CAMERA:FIRST}, or {@code CAMERA:FIRST@CAPTURED} for a camera's frames of several runs,
     * CAPTURED the first capture time of the sequence's run): for what a model's lineage says it
     * was trained on.
     *
     * @throws IllegalArgumentException when the id is not one {@link #read} gives
     */
    public static Numbered numbered(VideoSequence s) {
        Matcher marked = MARKED.matcher(s.id());
        String unmarked = marked.matches() ? marked.group(1) : s.id();
        int colon = unmarked.lastIndexOf(':');
        try {
            if (colon < 0) {
                throw new NumberFormatException("no colon");
            }
            long first = Long.parseLong(unmarked.substring(colon + 1));
            return new Numbered(
                    unmarked.substring(0, colon), new SequenceRange(first, first + s.size() - 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "expected a sequence of a labelled-frames topic, named CAMERA:FIRST or"
                            + " CAMERA:FIRST@CAPTURED, but found "
                            + s.id(),
                    e);
        }
    }

    /** The whole topic as it is now; a topic that is not there is a {@link DatasetException}. */
    private static TopicSnapshot snapshot(Map<String, Object> config, String topic) {
        try {
            return TopicSnapshot.take(config, topic, TopicSnapshot.WHOLE);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(e.getMessage(), e);
        }
    }

    private static List<String> classesOf(Frame frame, String where) {
        String value = frame.getMetadata().get(LabelMetadata.CLASSES);
        if (value == null || value.isBlank()) {
            throw new DatasetException(
                    "Labelled frame "
                            + where
                            + " has ground truth but no '"
                            + LabelMetadata.CLASSES
                            + "' metadata naming its classes");
        }
        return LabelMetadata.splitClasses(value);
    }

    private static LabeledFrame decode(Frame frame, String where, Request request) {
        BufferedImage image;
        ClassMap labels;
        try {
            image = ImageCodecs.toBgr(ImageCodecs.frameImage(frame));
            labels = ImageCodecs.classMap(ImageCodecs.bytes(frame.getGroundTruth()));
        } catch (IllegalArgumentException e) {
            throw new DatasetException(
                    "Labelled frame " + where + " does not decode: " + e.getMessage(), e);
        }
        Images.requireSameSize(
                "The label map of labelled frame " + where,
                labels.width(),
                labels.height(),
                "its image",
                image);
        LabeledFrame f = LabeledFrame.wrap(image, labels.indices());
        return request.width() > 0 ? LabelledData.resize(f, request.width(), request.height()) : f;
    }

    /**
     * Adds each camera's stretches of consecutive sequence numbers, within each of its runs, to
     * {@code sequences}, sorted by id, and their frames' capture times to {@code captureMs} and
     * footage to {@code footage} in the same order.
     */
    private static void sequences(
            Map<String, List<CameraRuns.Run<Captured>>> byCamera,
            List<VideoSequence> sequences,
            List<long[]> captureMs,
            List<String> footage) {
        TreeMap<String, List<Captured>> stretches = new TreeMap<>();
        byCamera.forEach(
                (camera, runs) -> {
                    Map<String, Integer> marks = new HashMap<>();
                    for (CameraRuns.Run<Captured> run : runs) {
                        // a camera's only run keeps the id it always had; of several, each is
                        // named after its first capture time, which retention does not shift (and
                        // a count, where two runs of the same footage share it)
                        String mark = null;
                        if (runs.size() > 1) {
                            String first = run.span().first();
                            int same = marks.merge(first, 1, Integer::sum);
                            mark = first + (same > 1 ? "#" + same : "");
                        }
                        stretches(camera, mark, run.selected(), stretches);
                    }
                });
        stretches.forEach(
                (id, stretch) -> {
                    sequences.add(
                            new VideoSequence(id, stretch.stream().map(Captured::frame).toList()));
                    captureMs.add(stretch.stream().mapToLong(Captured::captureMs).toArray());
                    footage.add(stretch.get(0).footage());
                });
    }

    /**
     * Puts one run's stretches of consecutive numbers into {@code out}, by id; other footage starts
     * a stretch too (the next run labelled with numbers that go on from this one's).
     */
    private static void stretches(
            String camera,
            String mark,
            TreeMap<Long, Captured> numbered,
            Map<String, List<Captured>> out) {
        List<Captured> stretch = new ArrayList<>();
        long first = -1;
        long previous = -2;
        for (Map.Entry<Long, Captured> f : numbered.entrySet()) {
            if (!stretch.isEmpty()
                    && (f.getKey() != previous + 1
                            || !Objects.equals(f.getValue().footage(), stretch.get(0).footage()))) {
                out.put(id(camera, mark, first), stretch);
                stretch = new ArrayList<>();
            }
            if (stretch.isEmpty()) {
                first = f.getKey();
            }
            stretch.add(f.getValue());
            previous = f.getKey();
        }
        out.put(id(camera, mark, first), stretch);
    }

    /**
     * A sequence's id: its camera, first frame number and, of a camera's several runs, its run's
     * mark, as {@link #numbered} reads it.
     */
    private static String id(String camera, String mark, long first) {
        return camera + ":" + first + (mark != null ? RUN_MARK + mark : "");
    }

    private static Map<String, Object> lineage(
            Request request, Map<String, List<CameraRuns.Run<Captured>>> byCamera, String teacher) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", "topic:" + request.topic().name());
        if (teacher != null) {
            out.put("teacher", teacher);
        }
        if (request.camera() != null) {
            out.put("camera", request.camera());
        }
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        int frames = 0;
        Map<String, String> ranges = new TreeMap<>();
        Map<String, List<String>> runs = new TreeMap<>();
        Map<String, Map<String, String>> footage = new TreeMap<>();
        for (Map.Entry<String, List<CameraRuns.Run<Captured>>> camera : byCamera.entrySet()) {
            long cameraFrom = Long.MAX_VALUE;
            long cameraTo = Long.MIN_VALUE;
            Map<String, SequenceRange> sources = new TreeMap<>();
            for (CameraRuns.Run<Captured> run : camera.getValue()) {
                cameraFrom = Math.min(cameraFrom, run.selected().firstKey());
                cameraTo = Math.max(cameraTo, run.selected().lastKey());
                frames += run.selected().size();
                run.selected()
                        .forEach(
                                (number, f) -> {
                                    if (f.footage() != null) {
                                        sources.merge(
                                                f.footage(),
                                                new SequenceRange(number, number),
                                                (r, one) -> r.with(number));
                                    }
                                });
            }
            if (!sources.isEmpty()) {
                Map<String, String> numbered = new TreeMap<>();
                sources.forEach((source, r) -> numbered.put(source, r.toString()));
                footage.put(camera.getKey(), numbered);
            }
            from = Math.min(from, cameraFrom);
            to = Math.max(to, cameraTo);
            ranges.put(camera.getKey(), cameraFrom + "-" + cameraTo);
            runs.put(
                    camera.getKey(),
                    camera.getValue().stream().map(r -> r.span().toString()).toList());
        }
        // every frame of every run; the ranges are frame numbers, read in every run
        out.put("frames", frames);
        out.put("sequenceRange", from + "-" + to);
        if (request.camera() == null) {
            // every camera's own range: the one above, over all of them, would take camera a's
            // 0-599 and b's 1000-1500 to cover a's 600-999 too (TrainedFrames)
            out.put(CAMERA_RANGES, ranges);
        }
        // so that a run labelled into the topic after this read is not taken as read, nor one
        // that takes an older run's place when retention deletes it
        out.put(CAMERA_RUNS, runs);
        if (!footage.isEmpty()) {
            // so that the same footage labelled under another camera id is known as trained on
            out.put(CAMERA_FOOTAGE, footage);
        }
        return out;
    }

    private static String noFrames(
            Request request, TreeSet<String> cameras, LabelledNumbers numbers) {
        String what =
                request.camera() == null
                        ? "no labelled frames"
                        : "no labelled frames of camera " + request.camera();
        String range =
                request.range().equals(SequenceRange.ALL) ? "" : " in frames " + request.range();
        return "Topic "
                + request.topic().name()
                + " has "
                + what
                + range
                + (cameras.isEmpty()
                        ? " (it is empty)"
                        : " ("
                                + (numbers.described() != null ? numbers.described() + "; " : "")
                                + "cameras in it: "
                                + cameras
                                + ")");
    }

    private static String noneHeldOut(Request request, LabelledNumbers numbers) {
        return "Topic "
                + request.topic().name()
                + " has no labelled frames "
                + (request.camera() == null ? "" : "of camera " + request.camera() + " ")
                + "in the held-out range "
                + request.exclude()
                + " ("
                + numbers.described()
                + "), so nothing would be held out for evaluate; hold out frames it has, or none";
    }
}
