package io.canvasflow.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Reading the deployment manifests in the manifest tests: files, YAML documents, typed nodes. */
final class YamlFiles {

    private YamlFiles() {}

    /** Every non-empty YAML document of a file, each a mapping. */
    static List<Map<String, Object>> yamlDocs(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(read(file))) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    /** A node that must be a mapping. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a mapping but found " + o);
        return (Map<String, Object>) o;
    }

    /** A node that must be a list. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertTrue(o instanceof List, "expected a list but found " + o);
        return (List<Object>) o;
    }

    /** A file's text, in UTF-8. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
