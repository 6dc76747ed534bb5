package io.canvasflow.cli.options;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Path options checked as they are parsed, so that a command refuses a wrong one before it starts
 * any work: a benchmark that only finds out at the end that its {@code --json} names a folder has
 * thrown its figures away.
 */
public final class FileConverters {

    private FileConverters() {}

    /** A file a command will write: it may not exist yet, but it must not be a folder. */
    public static final class OutputFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = path(value);
            if (Files.isDirectory(path)) {
                throw new TypeConversionException(
                        value + " is a folder; give the path of a file to write");
            }
            return path;
        }
    }

    /** A file a command will read: it must exist and be a readable file. */
    public static final class InputFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = path(value);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new TypeConversionException(
                        "no readable file at " + value + "; give the path of a file");
            }
            return path;
        }
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException(value + " is not a path: " + e.getReason());
        }
    }
}
