package io.canvasflow.topology;

import io.canvasflow.testsupport.ChildJvm;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

    private LockHolder() {}

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
