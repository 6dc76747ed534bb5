package io.canvasflow.clients;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JPEG and PNG images of a folder, one frame each, in file name order (plain string order, so
 * zero-padded names such as {@code frame-0001.jpg} play in sequence). Sub-folders and other files
 * are ignored. A frame's index is its image's place in that order.
 *
 * <p>The first image is decoded when the folder is opened, as a video file is opened: a folder
 * whose first image cannot be read is refused before anything is sent. A later image that cannot be
 * read (not an image, larger than {@link ImageCodecs#MAX_DECODE_PIXELS}, gone) is skipped with a
 * WARN, at most once a minute with the count, and the rest are read; at the end the source fails,
 * naming how many were skipped and the first, so that a folder with gaps is never taken for a whole
 * one. An image the decoder warns of (a truncated JPEG, its missing part grey) is given as decoded,
 * said the same way, and counted when the source closes.
 */
public final class ImageDirectorySource implements FrameSource {

    /** The frame rate assumed for a folder unless another is given. */
    public static final double DEFAULT_FPS = 10.0;

    private static final Logger LOG = LoggerFactory.getLogger(ImageDirectorySource.class);

    private final Path directory;
    private final List<Path> files;
    private final double fps;
    private int index;
    private boolean closed;
    private final Tally unreadable = new Tally();
    private final Tally damaged = new Tally();

    /** Whether the end of the folder has said what was skipped. */
    private boolean skipsSaid;

    /** The first image, decoded at open and given by the first {@link #next()}; then null. */
    private BufferedImage first;

    private final List<String> firstWarnings = new ArrayList<>(1);

    /**
     * Lists a folder's images at {@link #DEFAULT_FPS}.
     *
     * @param directory the folder
     * @throws FrameSourceException when it is not a readable folder or holds no image
     */
    public ImageDirectorySource(Path directory) {
        this(directory, DEFAULT_FPS);
    }

    /**
     * Lists a folder's images.
     *
     * @param directory the folder
     * @param fps the rate the images were taken at
     * @throws FrameSourceException when it is not a readable folder or holds no image
     */
    public ImageDirectorySource(Path directory, double fps) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("expected a positive frame rate but found " + fps);
        }
        this.directory = directory;
        this.fps = fps;
        if (!Files.isDirectory(directory)) {
            throw new FrameSourceException(
                    "expected a folder of images but " + directory + " is not a folder");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            this.files =
                    entries.filter(Files::isRegularFile)
                            .filter(ImageDirectorySource::isImage)
                            .sorted(
                                    (a, b) ->
                                            a.getFileName()
                                                    .toString()
                                                    .compareTo(b.getFileName().toString()))
                            .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new FrameSourceException(
                    "could not list the folder " + directory + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new FrameSourceException(
                    "expected .jpg, .jpeg or .png files in " + directory + " but found none");
        }
        Path file = files.get(0);
        try {
            first = ImageCodecs.decode(Files.readAllBytes(file), firstWarnings::add);
        } catch (IOException | RuntimeException e) {
            throw new FrameSourceException(
                    "the first image in "
                            + directory
                            + ", "
                            + file.getFileName()
                            + ", cannot be read ("
                            + (e.getMessage() == null ? e.toString() : e.getMessage())
                            + "); give a folder whose images are JPEG or PNG files",
                    e);
        }
    }

    /**
     * Reads the next image that can be read.
     *
     * @return the frame, or empty at the end of the folder
     * @throws SkippedFramesException at the end, when images were skipped
     */
    @Override
    public Optional<SourceFrame> next() {
        if (closed) {
            throw new IllegalStateException("the image folder source " + directory + " is closed");
        }
        while (index < files.size()) {
            Path file = files.get(index);
            int at = index++;
            List<String> warnings = new ArrayList<>(1);
            try {
                BufferedImage image;
                if (first != null) {
                    image = first;
                    first = null;
                    warnings.addAll(firstWarnings);
                } else {
                    image = ImageCodecs.decode(Files.readAllBytes(file), warnings::add);
                }
                if (!warnings.isEmpty()) {
                    damaged(file, warnings.get(0));
                }
                return Optional.of(SourceFrame.of(image, at));
            } catch (IOException | RuntimeException e) {
                // RuntimeException: a decoder's own failure on a malformed file is one too
                unreadable(file, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        String skipped = skippedUnreadable();
        if (skipped != null && !skipsSaid) {
            skipsSaid = true; // said once: the next call finds the end
            throw new SkippedFramesException(skipped + "; the others were read");
        }
        return Optional.empty();
    }

    @Override
    public String skippedUnreadable() {
        return unreadable.count == 0
                ? null
                : String.format(
                        "%d of the %d images in %s could not be read and were skipped, the first %s",
                        unreadable.count, files.size(), directory, unreadable.first);
    }

    private void unreadable(Path file, String why) {
        if (unreadable.add(file, why)) {
            LOG.warn(
                    "could not read the image {} ({}); skipped, {} so far, the folder goes on",
                    file,
                    why,
                    unreadable.count);
        }
    }

    private void damaged(Path file, String warning) {
        if (damaged.add(file, warning)) {
            LOG.warn(
                    "the image {} is damaged ({}); sent as decoded, its missing part grey; {} so"
                            + " far",
                    file,
                    warning,
                    damaged.count);
        }
    }

    @Override
    public double nativeFps() {
        return fps;
    }

    @Override
    public String description() {
        return directory.toString();
    }

    @Override
    public void close() {
        if (!closed && damaged.count > 0) {
            LOG.warn(
                    "{} of the images read from {} were damaged and sent as decoded, the first {}",
                    damaged.count,
                    directory,
                    damaged.first);
        }
        closed = true;
        first = null;
    }

    /** The images of one kind of trouble: how many, the first, and whether a WARN is due. */
    private static final class Tally {
        private final Throttle said = new Throttle(Throttle.MINUTE);
        private int count;
        private String first;

        /** Counts an image; true when its WARN is due (the first, then once a minute). */
        boolean add(Path file, String why) {
            count++;
            if (first == null) {
                first = file.getFileName() + " (" + why + ")";
            }
            return said.due();
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }
}
