package io.canvasflow.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the real files of Debian's {@code labelme-examples} package: in the directory named by
 * {@code -Dcanvasflow.labelme.dir} or {@code CANVASFLOW_LABELME_DIR}, else in {@code
 * target/labelme-examples}, which it fills with {@code apt-get download} and {@code dpkg-deb -x}
 * when empty. The package contents stay under target/ and are never committed.
 */
final class LabelmeExamples {

    static final String HOW_TO =
            "labelme-examples is not available: set -Dcanvasflow.labelme.dir or"
                    + " CANVASFLOW_LABELME_DIR to an unpacked labelme-examples package, or"
                    + " allow 'apt-get download labelme-examples'";

    private static Optional<Path> root;

    private LabelmeExamples() {}

    /** {@code examples/<example>/data_dataset_voc} inside the package, if it can be had. */
    static Optional<Path> vocDataset(String example) {
        return root().flatMap(r -> find(r, "examples/" + example + "/data_dataset_voc"));
    }

    private static synchronized Optional<Path> root() {
        if (root == null) {
            root = locate();
        }
        return root;
    }

    private static Optional<Path> locate() {
        String given = System.getProperty("canvasflow.labelme.dir");
        if (given == null || given.isBlank()) {
            given = System.getenv("CANVASFLOW_LABELME_DIR");
        }
        if (given != null && !given.isBlank()) {
            Path dir = Path.of(given);
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        }
        Path target = Path.of("target", "labelme-examples");
        if (find(target, "examples/semantic_segmentation/data_dataset_voc").isPresent()) {
            return Optional.of(target);
        }
        try {
            Path tmp = Files.createTempDirectory("labelme-deb");
            if (!run(tmp, "apt-get", "download", "labelme-examples")) {
                // The package lists may be missing on a fresh machine.
                run(tmp, "apt-get", "update");
                if (!run(tmp, "apt-get", "download", "labelme-examples")) {
                    return Optional.empty();
                }
            }
            Path deb;
            try (Stream<Path> s = Files.list(tmp)) {
                deb =
                        s.filter(p -> p.getFileName().toString().endsWith(".deb"))
                                .findFirst()
                                .orElse(null);
            }
            if (deb == null) {
                return Optional.empty();
            }
            Files.createDirectories(target);
            if (!run(tmp, "dpkg-deb", "-x", deb.toString(), target.toAbsolutePath().toString())) {
                return Optional.empty();
            }
            Files.delete(deb);
            Files.delete(tmp);
            return Optional.of(target);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static boolean run(Path dir, String... command)
            throws IOException, InterruptedException {
        Process p;
        try {
            p =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
        } catch (IOException e) {
            return false; // the tool is not installed
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** The first directory under {@code root} whose path ends with {@code suffix}. */
    private static Optional<Path> find(Path root, String suffix) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isDirectory)
                    .filter(p -> p.toString().replace('\\', '/').endsWith(suffix))
                    .forEach(hits::add);
        } catch (IOException e) {
            return Optional.empty();
        }
        return hits.stream().sorted().findFirst();
    }
}
