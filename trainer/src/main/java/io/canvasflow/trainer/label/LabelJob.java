package io.canvasflow.trainer.label;

import io.canvasflow.clients.FramePublisher;
import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.schemas.LabelMetadata;
import io.canvasflow.synthetic.ClassTable;
import io.canvasflow.trainer.data.SequenceRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;

/**
 * Runs a teacher over one camera's frames and writes the frames it labelled, either to a Kafka
 * topic (in one transaction: all of them or none) or to a VOC-layout folder (written beside and
 * moved into place at the end). When the teacher labelled no pixel of any class but its first
 * (background) in the whole range, nothing is written and the run fails.
 */
public final class LabelJob {

    private LabelJob() {}

    /**
     * What was labelled.
     *
     * @param framesRead frames read from the source in the range
     * @param framesLabelled frames the teacher labelled (warm-up frames are not)
     * @param pixelsPerClass labelled pixels of each class, ignore label at index 255
     * @param classes the teacher's classes
     * @param teacher the teacher's description
     */
    public record Result(
            long framesRead,
            long framesLabelled,
            long[] pixelsPerClass,
            ClassTable classes,
            String teacher) {}

    /** Where labelled frames go. */
    public interface Sink extends AutoCloseable {

        /** Adds one labelled frame. */
        void add(String camera, long sequence, Instant capture, BufferedImage image, byte[] labels)
                throws IOException;

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
     * @throws TeacherException when the teacher labelled nothing (nothing is written)
     */
    public static Result run(
            FrameSource source,
            String camera,
            SequenceRange range,
            Teacher teacher,
            Sink sink,
            PrintStream progress)
            throws IOException {
        long[] pixels = new long[256];
        long read = 0;
        long labelled = 0;
        Instant start = Instant.now();
        double fps = source.nativeFps();
        boolean done = false;
        try {
            for (Optional<SourceFrame> next = source.next();
                    next.isPresent();
                    next = source.next()) {
                SourceFrame frame = next.get();
                if (frame.index() > range.to()) {
                    break;
                }
                if (!range.contains(frame.index())) {
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
                Instant capture =
                        frame.captureTime() != null
                                ? frame.captureTime()
                                : start.plusMillis(Math.round(frame.index() * 1000 / fps));
                sink.add(camera, frame.index(), capture, frame.image(), l);
                labelled++;
                if (labelled % 100 == 0) {
                    progress.printf("labelled %d frames (frame %d)%n", labelled, frame.index());
                }
            }
            if (read == 0) {
                throw new TeacherException(
                        "read no frame in range " + range + " of " + source.description());
            }
            long objects = 0;
            for (int c = 1; c < 255; c++) {
                objects += pixels[c];
            }
            if (objects == 0) {
                throw new TeacherException(
                        "teacher "
                                + teacher.description()
                                + " labelled no pixel as anything but "
                                + teacher.classes().name(0)
                                + " in "
                                + read
                                + " frames ("
                                + range
                                + ") of "
                                + source.description()
                                + "; nothing was written");
            }
            sink.commit();
            done = true;
        } finally {
            if (!done) {
                sink.abort();
            }
        }
        return new Result(read, labelled, pixels, teacher.classes(), teacher.description());
    }

    /** The metadata of a frame labelled by {@code teacher} from {@code source}. */
    static Map<String, String> metadata(ClassTable classes, String teacher, String source) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(LabelMetadata.CLASSES, LabelMetadata.joinClasses(classes.names()));
        m.put(LabelMetadata.TEACHER, teacher);
        m.put(LabelMetadata.SOURCE, source);
        return m;
    }

    /** Writes labelled frames to a topic, in one transaction. */
    public static Sink topicSink(FramePublisher publisher, Map<String, String> metadata) {
        publisher.beginTransaction();
        return new Sink() {
            @Override
            public void add(
                    String camera, long sequence, Instant capture, BufferedImage image, byte[] l) {
                byte[] png = ImageCodecs.grayLabelPng(l, image.getWidth(), image.getHeight());
                publisher.publish(camera, sequence, capture, image, png, metadata);
            }

            @Override
            public void commit() {
                publisher.commitTransaction();
            }

            @Override
            public void abort() {
                publisher.abortTransaction();
            }

            @Override
            public void close() {
                publisher.close();
            }
        };
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
        Path tmp = Files.createTempDirectory(parent, root.getFileName() + ".partial-");
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
}
