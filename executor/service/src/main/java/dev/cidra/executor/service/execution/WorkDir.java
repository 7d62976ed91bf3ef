package dev.cidra.executor.service.execution;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.jboss.logging.Logger;

/** A fresh directory for one execution, deleted with everything in it on {@link #close()}. */
public final class WorkDir implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkDir.class);

    private final Path path;

    private WorkDir(Path path) {
        this.path = path;
    }

    public static WorkDir create(Path root) throws IOException {
        Files.createDirectories(root);
        return new WorkDir(Files.createTempDirectory(root, "execution-"));
    }

    public Path path() {
        return path;
    }

    /** Deletes the directory tree (symbolic links are deleted, never followed); a failure is logged, not thrown. */
    @Override
    public void close() {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warnf(e, "cannot delete the work directory %s; delete it by hand", path);
        }
    }
}
