package io.canvasflow.tools.common;

import io.canvasflow.model.ModelLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.errors.InterruptException;

/**
 * The end every benchmark command (and replay) shares: print the table and the JSON, write the JSON
 * where asked, and turn a failure into one line and an exit code (2 for a bad setting, model or
 * file, 130 when interrupted).
 */
public final class BenchRun {

    /** A benchmark's body: measures, prints, and returns 0 when complete, 1 when not. */
    @FunctionalInterface
    public interface Body {

        /**
         * Runs the benchmark.
         *
         * @return the exit code
         * @throws IOException when the JSON cannot be written
         * @throws InterruptedException when interrupted
         */
        int run() throws IOException, InterruptedException;
    }

    private BenchRun() {}

    /**
     * Runs a benchmark's body and maps its failures to exit codes.
     *
     * @param command the command's name, for messages: {@code canvasflow bench soak}
     * @param json the JSON file the body writes, or null, for messages
     * @param out the command's output, flushed at the end
     * @param err where the one-line failure goes
     * @param body the benchmark
     * @return the body's exit code, 2 on a bad setting, model or file, 130 when interrupted
     */
    public static int exitCode(
            String command, Path json, PrintWriter out, PrintWriter err, Body body) {
        return exitCode(command, String.valueOf(json), out, err, body);
    }

    /**
     * Runs a command's body and maps its failures to exit codes.
     *
     * @param command the command's name, for messages: {@code canvasflow replay}
     * @param written what the body writes, for messages: {@code the report}
     * @param out the command's output, flushed at the end
     * @param err where the one-line failure goes
     * @param body the command's work
     * @return the body's exit code, 2 on a bad setting, model or file, 130 when interrupted
     */
    public static int exitCode(
            String command, String written, PrintWriter out, PrintWriter err, Body body) {
        try {
            return body.run();
        } catch (ModelLoadException | IllegalArgumentException | IllegalStateException e) {
            err.println(command + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println(command + ": cannot write " + written + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException | InterruptException e) {
            // InterruptException: a Kafka client's, when the interrupt came during its call
            Thread.currentThread().interrupt();
            err.println(command + ": interrupted");
            return 130;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Prints a benchmark's table and JSON, and writes the JSON to {@code file} (its folder created)
     * unless that is null.
     *
     * @param out where to print
     * @param table the table
     * @param json the JSON text
     * @param file where to write the JSON, or null
     * @throws IOException when the file cannot be written
     */
    public static void print(PrintWriter out, String table, String json, Path file)
            throws IOException {
        out.println();
        out.print(table);
        out.println();
        out.print(json);
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, json);
            out.println("Wrote " + file);
        }
    }
}
