package io.canvasflow.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JPEG and PNG images of a folder, one frame each, in file name order (plain string order, so
 * zero-padded names such as {@code frame-0001.jpg} play in sequence). Sub-folders and other files
 * are ignored.
 */
public final class ImageDirectorySource implements FrameSource {

    /** The frame rate assumed for a folder unless another is given. */
    public static final double DEFAULT_FPS = 10.0;

    private final Path directory;
    private final List<Path> files;
    private final double fps;
    private int index;
    private boolean closed;

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
    }

    @Override
    public Optional<SourceFrame> next() {
        if (closed) {
            throw new IllegalStateException("the image folder source " + directory + " is closed");
        }
        if (index >= files.size()) {
            return Optional.empty();
        }
        Path file = files.get(index);
        try {
            return Optional.of(
                    SourceFrame.of(ImageCodecs.decode(Files.readAllBytes(file)), index++));
        } catch (IOException | IllegalArgumentException e) {
            throw new FrameSourceException(
                    "could not read the image " + file + ": " + e.getMessage(), e);
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
        closed = true;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }
}
