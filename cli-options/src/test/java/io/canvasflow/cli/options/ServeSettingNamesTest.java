package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServeSettingNamesTest {

    /** A row of docs/settings.md's table: its first cell is a setting's name. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9.]+)` \\|");

    @Test
    void shouldKnowEverySettingThatServeDocuments() throws Exception {
        // Given docs/settings.md, which serve --print-settings writes and a topology test keeps
        // equal to serve's definitions
        String table =
                Files.readString(checkout().resolve("docs/settings.md"), StandardCharsets.UTF_8);
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            documented.add(row.group(1));
        }

        // When the names this module holds are compared with it
        // Then they are the same: a new serve setting in a client's file is left out too
        assertEquals(documented, new TreeSet<>(ServeSettingNames.NAMES));
    }

    @Test
    void shouldTellServesSettingsFromClientProperties() {
        // Given serve's settings, its topic configs, and Kafka client properties
        List<String> keys =
                List.of(
                        "topic.frames",
                        "topic.retention.ms",
                        "topics.create",
                        "state.dir",
                        "http.port",
                        "security.protocol",
                        "sasl.jaas.config",
                        "compression.type",
                        "max.poll.records");

        // When each is asked about
        List<Boolean> serve = keys.stream().map(ServeSettingNames::isServeSetting).toList();

        // Then serve's are serve's and the clients' are the clients'
        assertEquals(List.of(true, true, true, true, true, false, false, false, false), serve);
    }

    @Test
    void shouldNameASettingsVariableAsServeReadsIt() {
        // Given a setting of three words
        // When its environment variable is named
        // Then it is serve's: CANVASFLOW_ and the name in upper case with '_' for '.'
        assertEquals(
                "CANVASFLOW_TOPIC_MODEL_ASSIGNMENTS",
                ServeSettingNames.environmentVariable("topic.model.assignments"));
    }

    /** The checkout this test runs in: the first folder up from here with docs/settings.md. */
    private static Path checkout() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/settings.md"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no docs/settings.md above " + Path.of("").toAbsolutePath());
    }
}
