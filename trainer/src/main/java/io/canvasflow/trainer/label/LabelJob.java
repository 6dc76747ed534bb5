package io.canvasflow.trainer.label;

import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.SkippedFramesException;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.schemas.LabelMetadata;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.trainer.data.SequenceRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.utils.Utils;

/**
 * Runs a teacher over one camera's frames and writes the frames it labelled, either to a Kafka
 * topic (in transactions of a bounded size, {@link TopicSink}) or to a VOC-layout folder (written
 * beside and moved into place at the end). Nothing is written before the teacher has labelled a
 * pixel of a class other than its first (background): when it labels none in the whole range, or
 * labels no frame at all (the range no longer than its warm-up), nothing is written and the run
 * fails. Asked to stop, it reads no further frame and writes what was labelled.
 */
public final class LabelJob {

    private LabelJob() {}

    /**
     * What was labelled.
     *
     * @param framesRead frames read from the source in the range
     * @param framesLabelled frames the teacher labelled (warm-up frames are not)
     * @param framesWritten frames written: those labelled, or none when a stopped run's teacher had
     *     labelled nothing but background
     * @param pixelsPerClass labelled pixels of each class, ignore label at index 255
     * @param classes the teacher's classes
     * @param teacher the teacher's description
     * @param stopped whether it was asked to stop before the end of the range
     * @param skipped what the source skipped as unreadable (every readable frame was labelled),
     *     null when nothing was
     */
    public record Result(
            long framesRead,
            long framesLabelled,
            long framesWritten,
            long[] pixelsPerClass,
            ClassTable classes,
            String teacher,
            boolean stopped,
            String skipped) {}

    /**
     * When a sink that writes in parts (a topic's transactions) makes what was added visible: once
     * a part holds {@code frames} frames or has been open for {@code age}, but not before a frame
     * with a pixel of a class other than the first.
     *
     * @param frames the most frames in one part
     * @param age the longest a part stays open once its first frame is added
     * @param firstObjectWithin the longest the first part waits for a frame with a pixel of a class
     *     other than the first; then the run fails and nothing is written
     */
    public record Batching(int frames, Duration age, Duration firstObjectWithin) {

        /** One part, the whole run: a sink that writes everything at the end. */
        public static final Batching WHOLE_RUN =
                new Batching(
                        Integer.MAX_VALUE,
                        ChronoUnit.FOREVER.getDuration(),
                        ChronoUnit.FOREVER.getDuration());

        /**
         * A topic's: a transaction of at most 100 frames or a minute's labelling, and at most 10
         * minutes' labelling before the first frame that shows something, well inside the 15
         * minutes a transaction may stay open (FramePublisher's transaction timeout).
         */
        public static final Batching TRANSACTIONS =
                new Batching(100, Duration.ofMinutes(1), Duration.ofMinutes(10));

        /**
         * {@link #TRANSACTIONS}, shortened to fit a transaction timeout below 15 minutes (a
         * producer's {@code transaction.timeout.ms} set lower): a part's age at most a tenth of it,
         * the first object's wait at most two thirds.
         *
         * @param timeout how long a transaction may stay open
         * @return the batching
         */
        public static Batching within(Duration timeout) {
            Duration age = timeout.dividedBy(10);
            Duration first = timeout.multipliedBy(2).dividedBy(3);
            return new Batching(
                    TRANSACTIONS.frames(),
                    age.compareTo(TRANSACTIONS.age()) < 0 ? age : TRANSACTIONS.age(),
                    first.compareTo(TRANSACTIONS.firstObjectWithin()) < 0
                            ? first
                            : TRANSACTIONS.firstObjectWithin());
        }
    }

    /** Where labelled frames go. */
    public interface Sink extends AutoCloseable {

        /** Adds one labelled frame. */
        void add(String camera, long sequence, Instant capture, BufferedImage image, byte[] labels)
                throws IOException;

        /** How it writes in parts; {@link Batching#WHOLE_RUN} when it writes all at the end. */
        default Batching batching() {
            return Batching.WHOLE_RUN;
        }

        /** Makes everything added so far visible, where it writes in parts. */
        default void checkpoint() throws IOException {}

        /** The frames made visible so far by {@link #checkpoint}, which a failure leaves. */
        default long checkpointed() {
            return 0;
        }

        /** Makes everything added visible. */
        void commit() throws IOException;

        /** Discards everything added. */
        void abort();

        @Override
        void close();
    }

    /**
     * Labels {@code range} of {@code source} as camera {@code camera}.
     *
     * @param stop asked before each frame is read: once true, no further frame is read and what was
     *     labelled is written (nothing, when the teacher labelled nothing but background)
     * @throws TeacherException when the teacher labelled nothing but background, in the range or in
     *     the longest the sink's first part may wait, or every frame read went to its warm-up
     *     (nothing is written)
     */
    public static Result run(
            FrameSource source,
            String camera,
            SequenceRange range,
            Teacher teacher,
            Sink sink,
            PrintStream progress,
            BooleanSupplier stop)
            throws IOException {
        long[] pixels = new long[256];
        long read = 0;
        long labelled = 0;
        boolean anyObject = false;
        Batching batching = sink.batching();
        long inPart = 0;
        long partStart = 0;
        Instant start = Instant.now();
        double fps = source.nativeFps();
        boolean stopped = false;
        boolean done = false;
        String skipped = null;
        // the frames the source had, to say them where none was in the range
        long first = -1;
        long before = -1;
        long past = -1;
        try {
            while (!(stopped = stop.getAsBoolean())) {
                Optional<SourceFrame> next;
                try {
                    next = source.next();
                } catch (SkippedFramesException e) {
                    // the end of a source that skipped unreadable frames: keep what was labelled
                    skipped =
                            Objects.requireNonNullElse(source.skippedUnreadable(), e.getMessage());
                    break;
                }
                if (next.isEmpty()) {
                    break;
                }
                SourceFrame frame = next.get();
                first = first < 0 ? frame.index() : first;
                if (frame.index() > range.to()) {
                    past = frame.index();
                    break;
                }
                if (!range.contains(frame.index())) {
                    before = frame.index();
                    continue;
                }
                read++;
                Optional<byte[]> labels = teacher.label(ImageCodecs.toBgr(frame.image()));
                if (labels.isEmpty()) {
                    continue;
                }
                byte[] l = labels.get();
                for (byte b : l) {
                    pixels[b & 0xff]++;
                }
                anyObject = anyObject || objectPixels(pixels) > 0;
                Instant capture =
                        frame.captureTime() != null
                                ? frame.captureTime()
                                : start.plusMillis(Math.round(frame.index() * 1000 / fps));
                sink.add(camera, frame.index(), capture, frame.image(), l);
                labelled++;
                if (inPart++ == 0) {
                    partStart = System.nanoTime();
                }
                Duration open = Duration.ofNanos(System.nanoTime() - partStart);
                if (anyObject
                        && (inPart >= batching.frames() || open.compareTo(batching.age()) >= 0)) {
                    sink.checkpoint();
                    inPart = 0;
                } else if (!anyObject && open.compareTo(batching.firstObjectWithin()) >= 0) {
                    throw new TeacherException(
                            onlyBackground(
                                    teacher,
                                    pixels,
                                    labelled
                                            + " frames of "
                                            + source.description()
                                            + " within "
                                            + describe(batching.firstObjectWithin())
                                            + ", the longest a topic's first transaction waits"
                                            + " for a frame that shows something",
                                    "; give --frames FROM-TO where something is seen"));
                }
                if (labelled % 100 == 0) {
                    progress.printf("labelled %d frames (frame %d)%n", labelled, frame.index());
                }
            }
            if (skipped == null) {
                // stopped before the source's end (its range, Ctrl-C): what it skipped so far
                skipped = source.skippedUnreadable();
            }
            if (stopped && !anyObject) {
                // nothing was made visible before a frame that shows something: nothing to keep
                return new Result(
                        read,
                        labelled,
                        0,
                        pixels,
                        teacher.classes(),
                        teacher.description(),
                        true,
                        skipped);
            }
            if (read == 0) {
                throw new TeacherException(
                        "read no frame in range "
                                + range
                                + " of "
                                + source.description()
                                + (skipped != null ? " (" + skipped + ")" : "")
                                + framesHad(first, before, past));
            }
            if (labelled == 0) {
                // not the teacher's verdict on the footage: it was never asked for one
                throw new TeacherException(onlyWarmUp(teacher, read, range, source));
            }
            if (!anyObject) {
                throw new TeacherException(
                        onlyBackground(
                                teacher,
                                pixels,
                                labelled
                                        + " frames of "
                                        + source.description()
                                        + " ("
                                        + range
                                        + ")",
                                ""));
            }
            sink.commit();
            done = true;
        } finally {
            if (!done) {
                sink.abort();
            }
        }
        return new Result(
                read,
                labelled,
                labelled,
                pixels,
                teacher.classes(),
                teacher.description(),
                stopped,
                skipped);
    }

    /**
     * Why nothing is written: the teacher labelled only background, or, where no pixel is even
     * background, it was unsure of every one (an ONNX teacher's {@code --min-confidence}): not a
     * verdict on the footage.
     *
     * @param frames the frames labelled, e.g. "10 frames of vtest.avi (0-9)"
     * @param whatToDo appended when it labelled only background
     */
    private static String onlyBackground(
            Teacher teacher, long[] pixels, String frames, String whatToDo) {
        if (pixels[0] == 0) {
            return "teacher "
                    + teacher.description()
                    + " was unsure of every pixel of the "
                    + frames
                    + ", each given the ignore label: "
                    + teacher.whenUnsure()
                    + "; nothing was written";
        }
        return "teacher "
                + teacher.description()
                + " labelled no pixel as anything but "
                + teacher.classes().name(0)
                + " in "
                + frames
                + "; nothing was written"
                + whatToDo;
    }

    /** Every frame read went to the teacher's warm-up, in which it labels none. */
    private static String onlyWarmUp(
            Teacher teacher, long read, SequenceRange range, FrameSource source) {
        int warmUp = teacher.warmUp();
        return "teacher "
                + teacher.description()
                + " labelled no frame of "
                + source.description()
                + " ("
                + range
                + "): the "
                + read
                + " frames read all went to its "
                + (warmUp > 0 ? warmUp + "-frame " : "")
                + "warm-up, in which it labels no frame; nothing was written; label more than "
                + (warmUp > 0 ? warmUp + " frames" : "its warm-up")
                + " (a longer --frames range or source), or give a smaller --warm-up N";
    }

    /**
     * What a source that had no frame in the range had instead, and what to give: its frames from
     * {@code first} to {@code before} (the last one read), or, where it went past the range ({@code
     * past} >= 0), where its frames jump over it.
     */
    static String framesHad(long first, long before, long past) {
        if (first < 0) {
            return ", which gave no frame at all";
        }
        if (past < 0) {
            return ", which has frames "
                    + first
                    + "-"
                    + before
                    + "; give a --frames range within "
                    + first
                    + "-"
                    + before;
        }
        return (before < 0
                        ? ", whose first frame is " + past
                        : ", whose frames go from " + before + " to " + past)
                + "; give a --frames range that holds some of its frames";
    }

    private static String describe(Duration d) {
        return d.toSeconds() >= 60 && d.toSecondsPart() == 0
                ? d.toMinutes() + " minutes"
                : d.toMillis() / 1000.0 + " s";
    }

    /** The metadata of a frame labelled by {@code teacher} from {@code source}. */
    static Map<String, String> metadata(ClassTable classes, String teacher, String source) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(LabelMetadata.CLASSES, LabelMetadata.joinClasses(classes.names()));
        m.put(LabelMetadata.TEACHER, teacher);
        m.put(LabelMetadata.SOURCE, source);
        return m;
    }

    /**
     * Writes a VOC-layout folder ({@code JPEGImages/}, {@code SegmentationClassPNG/}, {@code
     * class_names.txt}) into a sibling temporary folder, moved to {@code root} on commit.
     *
     * @throws IllegalArgumentException when {@code root} already exists
     */
    public static Sink vocSink(Path root, ClassTable classes) throws IOException {
        if (Files.exists(root)) {
            throw new IllegalArgumentException(
                    "--voc " + root + " already exists; name a new folder");
        }
        Path parent = root.toAbsolutePath().getParent();
        // the folders this run makes above the VOC folder, removed again if it aborts
        List<Path> made = new ArrayList<>();
        for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
            made.add(p);
        }
        Files.createDirectories(parent);
        Path tmp = stagingFolder(parent, root.getFileName() + ".partial-");
        Path images = Files.createDirectories(tmp.resolve("JPEGImages"));
        Path labels = Files.createDirectories(tmp.resolve("SegmentationClassPNG"));
        int[] palette = new int[256];
        for (int i = 0; i < classes.size(); i++) {
            palette[i] = classes.color(i);
        }
        palette[ClassTable.IGNORE_LABEL] = 0xFFFFFF; // VOC draws the ignored border white
        return new Sink() {
            @Override
            public void add(
                    String camera, long sequence, Instant capture, BufferedImage image, byte[] l)
                    throws IOException {
                String id = String.format("%s_%06d", camera, sequence);
                Files.write(
                        images.resolve(id + ".jpg"),
                        ImageCodecs.jpeg(image, ImageCodecs.DEFAULT_JPEG_QUALITY));
                Files.write(
                        labels.resolve(id + ".png"),
                        ImageCodecs.indexedLabelPng(
                                l, image.getWidth(), image.getHeight(), palette));
            }

            @Override
            public void commit() throws IOException {
                Files.write(
                        tmp.resolve("class_names.txt"), classes.names(), StandardCharsets.UTF_8);
                Files.move(tmp, root);
            }

            @Override
            public void abort() {
                // Called from a finally block: a failure here must not hide the one that got here.
                try {
                    Utils.delete(tmp.toFile());
                    for (Path p : made) { // deepest first; one that is not empty stays
                        try {
                            Files.deleteIfExists(p);
                        } catch (DirectoryNotEmptyException e) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    System.err.println(
                            "canvasflow label: could not delete the unfinished folder "
                                    + tmp
                                    + " ("
                                    + e.getMessage()
                                    + "); delete it by hand");
                }
            }

            @Override
            public void close() {}
        };
    }

    /**
     * A new folder in {@code parent} named {@code prefix} and a random suffix, made as any folder
     * is (the umask's permissions): a temporary directory is made readable by its owner only, and
     * the VOC folder it becomes kept that, unlike every other output.
     */
    private static Path stagingFolder(Path parent, String prefix) throws IOException {
        while (true) {
            Path folder =
                    parent.resolve(
                            prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
            try {
                return Files.createDirectory(folder);
            } catch (FileAlreadyExistsException e) {
                // another run's staging folder: draw another name
            }
        }
    }

    /** Pixels labelled as something: neither background (0) nor ignored (255). */
    private static long objectPixels(long[] pixels) {
        long objects = 0;
        for (int c = 1; c < ClassTable.IGNORE_LABEL; c++) {
            objects += pixels[c];
        }
        return objects;
    }
}
