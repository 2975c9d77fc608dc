package org.danseg.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * Prepares the batches of iterations {@code from..to-1} on a background thread, a few ahead,
 * so the network never waits for cropping and augmentation. Batches stay Java arrays: tensors
 * are made on the training thread (PyTorch's grad mode is per thread).
 */
public final class BatchPrefetcher implements AutoCloseable {
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
    private final Thread worker;

    public BatchPrefetcher(int from, int to, IntFunction<Batch> make) {
        worker = new Thread(() -> {
            try {
                for (int it = from; it < to; it++) {
                    queue.put(make.apply(it));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                // Errors too (OutOfMemoryError): the training thread must not wait forever for a batch that never comes.
                try {
                    queue.put(e);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "danseg-batches");
        worker.setDaemon(true);
        worker.start();
    }

    public Batch next() throws InterruptedException {
        Object o = queue.take();
        if (o instanceof RuntimeException e) {
            throw new IllegalStateException("batch preparation failed: " + e.getMessage(), e);
        }
        if (o instanceof Error e) {
            throw e;
        }
        return (Batch) o;
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
