package io.canvasflow.registry;

import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes versions into the model cache folder, each as {@code VERSION/} ({@code model.json} and its
 * parameter file): written whole to a temporary folder beside it, forced to disk, and then moved
 * into place, so that a power loss leaves the version whole or not there. A version already there
 * is kept only when its files check, as a loader would check them.
 */
final class ModelCache {

    /** What the name of a temporary folder holds after the version it is for. */
    static final String TMP_INFIX = ".tmp-";

    private final Path dir;

    /**
     * A cache folder's writer.
     *
     * @param dir the cache folder
     */
    ModelCache(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes a version, unless the cache already holds it whole.
     *
     * @param spec its {@code model.json}
     * @param modelJson the text of its {@code model.json}
     * @param parameters its parameter file, in chunks
     * @return the version's folder
     */
    Path write(ModelSpec spec, String modelJson, List<byte[]> parameters) throws IOException {
        Path target = dir.resolve(spec.version());
        if (holds(target, modelJson)) {
            return target;
        }
        Path tmp = writeTemp(spec, modelJson, parameters);
        place(tmp, target, modelJson);
        return target;
    }

    /**
     * Whether a folder holds a version whole: the same {@code model.json} text, and the parameter
     * file it names of the size and SHA-256 it says. A file that a power loss cut short is not.
     *
     * @param folder the version's folder
     * @param modelJson the text of its {@code model.json}
     */
    static boolean holds(Path folder, String modelJson) {
        try {
            if (!Files.readString(folder.resolve(ModelSpec.FILE_NAME), StandardCharsets.UTF_8)
                    .equals(modelJson)) {
                return false;
            }
            SegmentationModel.checkFiles(folder);
            return true;
        } catch (IOException | ModelLoadException e) {
            return false;
        }
    }

    /**
     * Writes a version into a new temporary folder of the cache, its files forced to disk.
     *
     * @return the temporary folder
     */
    Path writeTemp(ModelSpec spec, String modelJson, List<byte[]> parameters) throws IOException {
        Path tmp = Files.createTempDirectory(dir, spec.version() + TMP_INFIX);
        try {
            writeForced(
                    tmp.resolve(ModelSpec.FILE_NAME),
                    List.of(modelJson.getBytes(StandardCharsets.UTF_8)));
            writeForced(tmp.resolve(spec.parameters().file()), parameters);
            forceFolder(tmp);
        } catch (IOException | RuntimeException e) {
            Utils.delete(tmp.toFile());
            throw e;
        }
        return tmp;
    }

    /**
     * Moves a written temporary folder into place as the version's folder. Serve instances may
     * share the cache folder, and write the same version at once: a folder already there that holds
     * the version whole is another's copy, kept (the written one is discarded); one that does not
     * is moved aside whole and deleted there, never deleted in place, where the other's copy could
     * have taken its place meanwhile.
     *
     * @param tmp the temporary folder, gone afterwards
     * @param target the version's folder
     * @param modelJson the text of the version's {@code model.json}
     */
    void place(Path tmp, Path target, String modelJson) throws IOException {
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    forceFolder(dir);
                    return;
                } catch (IOException e) {
                    // "Directory not empty", or a file of that name: whatever is there decides
                    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) || attempt == 3) {
                        throw e;
                    }
                    if (holds(target, modelJson)) {
                        return;
                    }
                    setAside(target);
                }
            }
        } finally {
            Utils.delete(tmp.toFile()); // nothing left once moved; a discarded or failed copy
        }
    }

    /** Moves a folder that does not hold its version out of the way, and deletes it there. */
    private void setAside(Path target) throws IOException {
        Path aside = Files.createTempDirectory(dir, target.getFileName() + TMP_INFIX);
        try {
            Files.move(target, aside.resolve("set-aside"), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // another instance set it aside first
        } finally {
            Utils.delete(aside.toFile());
        }
    }

    /** Writes a file and forces it to disk: no move makes it a version before its bytes are. */
    private static void writeForced(Path file, List<byte[]> parts) throws IOException {
        try (FileChannel out =
                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (byte[] part : parts) {
                ByteBuffer buffer = ByteBuffer.wrap(part);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(true);
        }
    }

    /** Forces a folder's entries to disk where the platform opens a folder (Linux; not Windows). */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the files themselves are forced; a folder that cannot be opened is only less sure
        }
    }
}
