package io.canvasflow.topology.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.DeadLetter;
import io.canvasflow.schemas.avro.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in a child JVM, as it runs in production, given 14 records that are not frames:
 * every one is dead-lettered, and its output gains one line per record (topic, partition, offset,
 * reason) up to the limit of ten a minute per reason, then one line saying that the reason goes
 * quiet, and not one stack-trace line (issue 18 counted 259 for 14 records, Kafka's deserialization
 * WARN with the whole exception).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BadRecordLoggingTest {

    private static final int RECORDS = 14;

    /** {@code BadRecordLog.LINES_PER_MINUTE}. */
    private static final int LIMIT = 10;

    private static final Pattern RECORD_LINE =
            Pattern.compile(
                    "WARN .*dead-lettering an unreadable record from frames-0 at offset (\\d+)"
                            + " \\((\\w+)\\)");
    private static final Pattern STACK_TRACE_LINE =
            Pattern.compile("^\\s+at \\S+\\(.*\\)$|^Caused by: |^\\S+(Exception|Error)(: |$)");

    /**
     * The levels serve runs with: this module's test {@code simplelogger.properties}, which the
     * child reads from the shared class path, keeps the dead-letter loggers at ERROR so that the
     * hostile-input tests stay quiet; then nothing would be seen here.
     */
    private static final List<String> PRODUCTION_LEVELS =
            List.of(
                    "-Dorg.slf4j.simpleLogger.log.io.canvasflow.topology.DeadLetterSink=info",
                    "-Dorg.slf4j.simpleLogger.log.io.canvasflow.topology"
                            + ".DeadLetterDeserializationHandler=info");

    @TempDir Path dir;

    @Test
    void shouldLogFourteenUndecodableRecordsInAtMostFourteenLinesWithoutAStackTrace()
            throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            // Given serve running on one partition
            Fixtures.createTopics(kafka, 1);
            Map<String, String> settings =
                    Fixtures.settings(
                            kafka.bootstrapServers(), "canvasflow-bad-log", dir.resolve("state"));
            Path log = Path.of("target", "reliability", "bad-records.log");
            try (TopicRecorder<DeadLetter> deadLetters = TopicRecorder.deadLetters(kafka);
                    ChildServe serve =
                            ChildServe.start(
                                    Fixtures.modelDir(), settings, log, PRODUCTION_LEVELS);
                    KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                serve.awaitOwns("[0]", Duration.ofSeconds(90));
                int before = serve.output().size();

                // When 14 records that are not frames arrive
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(
                            new ProducerRecord<>(
                                    Topics.FRAMES.name(),
                                    "cam-bad",
                                    ("not a frame #" + i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                List<DeadLetter> letters =
                        deadLetters.awaitValues(
                                RECORDS, Duration.ofSeconds(60), Duration.ofSeconds(2));
                List<String> output = serve.output();
                List<String> added = output.subList(before, output.size());

                // Then every one is dead-lettered
                assertEquals(
                        LongStream.range(0, RECORDS).boxed().toList(),
                        letters.stream().map(DeadLetter::getSourceOffset).toList());
                // And serve logged one line for each of the first ten, naming it, then one notice
                List<String> logged = new ArrayList<>();
                for (String line : added) {
                    Matcher m = RECORD_LINE.matcher(line);
                    if (m.find()) {
                        logged.add(m.group(1) + " " + m.group(2));
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int offset = 0; offset < LIMIT; offset++) {
                    expected.add(offset + " " + DeadLetterReason.NOT_A_FRAME);
                }
                String seen = "\n--- what serve logged ---\n" + String.join("\n", added);
                assertEquals(expected, logged, seen);
                assertEquals(
                        1,
                        added.stream().filter(l -> l.contains("the next are not logged")).count(),
                        seen);
                // And nothing else: at most one line a record, no stack trace
                assertTrue(added.size() <= RECORDS, added.size() + " lines" + seen);
                assertEquals(
                        List.of(),
                        added.stream().filter(l -> STACK_TRACE_LINE.matcher(l).find()).toList(),
                        seen);
                Fixtures.report(
                        "bad-records",
                        String.format(
                                "bad records: %d undecodable records, %d dead letters, %d lines"
                                        + " logged by serve (%d naming a record, a limit of %d a"
                                        + " minute), 0 stack-trace lines",
                                RECORDS, letters.size(), added.size(), logged.size(), LIMIT));
            }
        }
    }
}
