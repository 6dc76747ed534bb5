package io.canvasflow.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Writes a model's two files into its folder as one step: both are written whole, and forced to
 * disk, in a hidden staging folder inside it first, so that a failure while writing or describing
 * them (a full disk, a value JSON cannot hold, a kill) leaves the folder's earlier model as it was,
 * loadable. Only then are they moved in: the old {@code model.json} out of the way first, so that
 * no reader ever pairs new parameters with the old description, then the parameters, then their
 * {@code model.json}. Renames within one folder are atomic; a kill between these three renames (a
 * few microseconds) leaves the folder without a {@code model.json}, which reads as no model, never
 * as a wrong one. A kill during a save leaves its staging folder; the next save into the folder
 * deletes it, and so does a writer that starts ({@code train}) through {@link #removeLeftovers}.
 */
public final class ModelFolderWriter {

    /** What the staging folder's name starts with: hidden, and never a model's own file name. */
    static final String STAGING_PREFIX = ".saving-";

    /**
     * How long a staging folder nothing was written into stays, in case another process is saving
     * into the same folder now; older ones are what a kill during a save left, and go.
     */
    static final Duration LEFTOVER_AGE = Duration.ofMinutes(1);

    /** The staging folders this JVM's saves are writing now: never a leftover. */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    /** Writes the parameters to a stream. */
    @FunctionalInterface
    interface Parameters {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Describes the parameters written: their size and SHA-256 go into the description. */
    @FunctionalInterface
    interface Description {
        ModelSpec of(long bytes, String sha256);
    }

    private ModelFolderWriter() {}

    /**
     * Writes a model into a folder, created if needed.
     *
     * @param dir the model folder
     * @param parameters what writes the parameter file
     * @param description the spec for the written parameters
     * @return the spec as written
     * @throws IOException when a file cannot be written; the folder then holds what it held
     */
    static ModelSpec write(Path dir, Parameters parameters, Description description)
            throws IOException {
        Path created = firstMissing(dir);
        Files.createDirectories(dir);
        removeLeftovers(dir);
        Path staging = null;
        try {
            staging = Files.createTempDirectory(dir, STAGING_PREFIX);
            WRITING.add(staging);
            Path params = staging.resolve(SegmentationModel.PARAMETERS_FILE);
            writeForced(params, parameters);
            ModelSpec written =
                    description.of(Files.size(params), SegmentationModel.sha256(params));
            String json = toJson(written);
            Path spec = staging.resolve(ModelSpec.FILE_NAME);
            writeForced(spec, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
            place(dir, staging, params, spec);
            return written;
        } catch (IOException | RuntimeException e) {
            if (created != null) {
                deleteTree(created, e);
            }
            throw e;
        } finally {
            if (staging != null) {
                deleteTree(staging, null);
                WRITING.remove(staging);
            }
        }
    }

    /** The three renames: the old description aside, the parameters in, their description in. */
    private static void place(Path dir, Path staging, Path params, Path spec) throws IOException {
        Path json = dir.resolve(ModelSpec.FILE_NAME);
        Path old = staging.resolve("old-" + ModelSpec.FILE_NAME);
        boolean hadOne = Files.exists(json);
        if (hadOne) {
            Files.move(json, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(
                    params,
                    dir.resolve(SegmentationModel.PARAMETERS_FILE),
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (hadOne) {
                // the old parameters are still in place: so is their description again
                Files.move(old, json, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        Files.move(spec, json, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The description as JSON; a value JSON cannot hold (NaN, infinity) is a failure here. */
    private static String toJson(ModelSpec spec) {
        try {
            return SegmentationModel.GSON.toJson(spec);
        } catch (IllegalArgumentException e) {
            // Gson refuses NaN and infinities: a model.json must be read back by any JSON reader
            throw new IllegalStateException(
                    "cannot write "
                            + ModelSpec.FILE_NAME
                            + " of "
                            + spec.modelId()
                            + ": "
                            + String.valueOf(e.getMessage()).replaceFirst("\\. To override.*", ""),
                    e);
        }
    }

    private static void writeForced(Path file, Parameters contents) throws IOException {
        try (FileChannel channel =
                        FileChannel.open(
                                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
            contents.writeTo(out);
            out.flush();
            channel.force(true);
        }
    }

    /**
     * Deletes the staging folders a save killed before it finished left in a model folder: each
     * holds a model's worth of bytes, hidden and readable by its owner only. The folder's model is
     * whole without them (a kill between the renames leaves no model.json, read as no model). Those
     * written to in the last minute, or by a save of this JVM, stay: another save may be writing
     * them now.
     *
     * @param dir the model folder; one that does not exist holds nothing to delete
     * @return the staging folders deleted, in name order
     * @throws IOException when the folder cannot be listed
     */
    public static List<Path> removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        long before = System.currentTimeMillis() - LEFTOVER_AGE.toMillis();
        List<Path> staged;
        try (Stream<Path> entries = Files.list(dir)) {
            staged =
                    entries.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX))
                            .filter(Files::isDirectory)
                            .filter(p -> !WRITING.contains(p))
                            .sorted()
                            .toList();
        }
        List<Path> removed = new ArrayList<>();
        for (Path leftover : staged) {
            if (lastWritten(leftover) < before) {
                deleteTree(leftover, null);
                if (!Files.exists(leftover)) { // best effort: one it could not delete stays
                    removed.add(leftover);
                }
            }
        }
        return removed;
    }

    /** When anything in a folder was last written, the folder's own entries included. */
    private static long lastWritten(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            long last = Long.MIN_VALUE;
            for (Path p : paths.toList()) {
                last = Math.max(last, Files.getLastModifiedTime(p).toMillis());
            }
            return last;
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE; // gone meanwhile, or unreadable: not this save's to judge
        }
    }

    /** The outermost folder of {@code dir} that does not exist yet, or null where it exists. */
    private static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); ) {
            missing = p;
            p = p.getParent();
        }
        return missing;
    }

    /** Deletes a folder and what it holds; best effort, a failure added to the write's. */
    private static void deleteTree(Path root, Exception failure) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path p : deepestFirst) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
