package org.danseg.spark;

import java.io.IOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * danseg reads and writes local files; inputs and outputs of the job may be on any Hadoop
 * filesystem. Local paths are used in place; others are copied in before and out after, the
 * output through a temporary name and a rename, so a retried task rewrites it whole.
 */
final class LocalFiles {

    private LocalFiles() {
    }

    static boolean isLocal(Path p, Configuration conf) throws IOException {
        return p.getFileSystem(conf) instanceof LocalFileSystem || "file".equals(p.toUri().getScheme());
    }

    /** A local path for {@code uri}: itself when local, else a copy in a temporary folder (a folder when {@code folder}). */
    static java.nio.file.Path local(String uri, Configuration conf, boolean folder) throws IOException {
        Path p = new Path(uri);
        if (isLocal(p, conf)) {
            return java.nio.file.Path.of(p.toUri().getPath());
        }
        java.nio.file.Path tmp = Files.createTempDirectory("danseg-spark-in");
        java.nio.file.Path target = tmp.resolve(p.getName());
        p.getFileSystem(conf).copyToLocalFile(false, p, new Path(target.toUri()), true);
        return target;
    }

    private static final java.util.Map<String, java.nio.file.Path> COPIED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * As {@link #local} for a file read by many tasks of this executor (a slide, one task per part):
     * copied once per executor JVM when it is not local.
     */
    static java.nio.file.Path localCached(String uri, Configuration conf) throws IOException {
        java.nio.file.Path copy = COPIED.get(uri);
        if (copy != null && Files.isRegularFile(copy)) {
            return copy;
        }
        java.nio.file.Path local = local(uri, conf, false);
        COPIED.put(uri, local);
        return local;
    }

    /** Where to write {@code uri} locally: itself when local, else a temporary file to {@link #publish}. */
    static java.nio.file.Path staging(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        if (isLocal(p, conf)) {
            java.nio.file.Path local = java.nio.file.Path.of(p.toUri().getPath());
            Files.createDirectories(local.getParent());
            return local;
        }
        return Files.createTempDirectory("danseg-spark-out").resolve(p.getName());
    }

    /** Moves a staged output to {@code uri} (nothing to do for local outputs, already written atomically). */
    static void publish(java.nio.file.Path staged, String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        if (isLocal(p, conf)) {
            return;
        }
        FileSystem fs = p.getFileSystem(conf);
        Path tmp = new Path(p.getParent(), "." + p.getName() + ".part");
        fs.copyFromLocalFile(true, true, new Path(staged.toUri()), tmp);
        fs.delete(p, false);
        if (!fs.rename(tmp, p)) {
            throw new IOException(uri + ": could not rename the finished output into place");
        }
    }

    static boolean exists(String uri, Configuration conf) throws IOException {
        Path p = new Path(uri);
        return p.getFileSystem(conf).exists(p);
    }
}
