package io.canvasflow.tools.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a report's files into a folder as one step, for {@code replay} and {@code demo}: the files
 * are written into a hidden folder inside it first and moved in only when all are written, so a
 * failure while writing (a full disk, a chart that cannot be drawn) leaves the folder as it was
 * (and removes it when this call created it), never new figures beside an old chart or a report
 * without its charts. The report files of an earlier run that this one does not write (a chart it
 * has no data for) are removed; other files in the folder are left alone. (A move that fails among
 * the moves, a permission changed meanwhile, can leave new files beside old ones.)
 */
public final class ReportFolder {

    /** Writes the report's files into the staging folder it is given. */
    @FunctionalInterface
    public interface Contents {

        /**
         * Writes the files.
         *
         * @param staging an empty folder
         * @return the files written there, each named as it is to be named in the report folder
         * @throws IOException when a file cannot be written
         */
        List<Path> writeInto(Path staging) throws IOException;
    }

    private ReportFolder() {}

    /**
     * Writes a report into a folder, created if needed.
     *
     * @param dir the report folder
     * @param names every file name a report may have, so that an earlier run's are removed
     * @param contents what writes the files
     * @return the files written, in the report folder
     * @throws IOException when a file cannot be written or an old one removed
     */
    public static List<Path> write(Path dir, List<String> names, Contents contents)
            throws IOException {
        Path created = dir.toAbsolutePath().normalize();
        while (created.getParent() != null && !Files.exists(created.getParent())) {
            created = created.getParent();
        }
        boolean existed = Files.exists(created);
        Files.createDirectories(dir);
        Path staging = Files.createTempDirectory(dir, ".report-");
        try {
            List<Path> written = new ArrayList<>();
            for (Path file : contents.writeInto(staging)) {
                Path target = dir.resolve(file.getFileName().toString());
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
                written.add(target);
            }
            for (String name : names) {
                if (!written.contains(dir.resolve(name))) {
                    Files.deleteIfExists(dir.resolve(name));
                }
            }
            return written;
        } catch (IOException | RuntimeException e) {
            deleteTree(staging, e);
            if (!existed) {
                deleteTree(created, e);
            }
            throw e;
        } finally {
            deleteTree(staging, null);
        }
    }

    /**
     * Deletes a folder and what it holds, if it is there; best effort. A failure is added to the
     * write's failure, if there is one, never put in its place (a written report stays written).
     */
    private static void deleteTree(Path root, Exception failure) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
