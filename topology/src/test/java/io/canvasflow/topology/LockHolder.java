package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A child JVM ({@link ChildJvm}) that locks a file as Kafka Streams locks its state folder, says
 * {@value #LOCKED} and holds it until the test JVM goes; or says {@value #NOT_LOCKED} when another
 * process holds it.
 */
public final class LockHolder {

    /** The line it prints once it holds the lock. */
    static final String LOCKED = "locked";

    /** The line it prints when another process holds the lock. */
    static final String NOT_LOCKED = "held elsewhere";

    /**
     * A holder started, once it has said whether it holds the lock; closing it ends it.
     *
     * @param process the child JVM
     * @param said {@link #LOCKED} or {@link #NOT_LOCKED}
     */
    record Running(Process process, String said) implements AutoCloseable {

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }

    private LockHolder() {}

    /**
     * Starts a holder on a file and waits until it says whether it holds the lock.
     *
     * @param file the file to lock
     * @param log where its output goes
     * @return the holder, running
     * @throws AssertionError when it exits before it says
     */
    static Running start(Path file, Path log) throws IOException, InterruptedException {
        Process holder =
                ChildJvm.start(List.of("-Xmx64m"), LockHolder.class, List.of(file.toString()), log);
        try {
            while (true) {
                String said = Files.exists(log) ? Files.readString(log).strip() : "";
                if (said.equals(LOCKED) || said.equals(NOT_LOCKED)) {
                    return new Running(holder, said);
                }
                assertTrue(holder.isAlive(), said);
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            holder.destroyForcibly().waitFor();
            throw e;
        }
    }

    /**
     * Locks the file, made with its folders if need be, and waits.
     *
     * @param args the file
     */
    public static void main(String[] args) throws Exception {
        ChildJvm.haltWhenParentGoes();
        Path file = Path.of(args[0]);
        Files.createDirectories(file.getParent());
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.tryLock() != null) {
            System.out.println(LOCKED);
        } else {
            System.out.println(NOT_LOCKED);
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
