package org.danseg.train;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT during training, turned into a request the loop honours between iterations:
 * the JVM's own handler would start shutting down (and freeing PyTorch's memory) while a native
 * backward pass still runs, which crashed the JVM in 2 of 4 tries. The previous handlers come
 * back on {@link #close}.
 */
final class StopSignals implements AutoCloseable {
    private volatile String received;
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    StopSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal signal = new Signal(name);
                previous.add(Signal.handle(signal, s -> received = "SIG" + s.getName()));
                signals.add(signal);
            } catch (IllegalArgumentException e) {
                // The signal is unknown here or reserved by the JVM (-Xrs): the default stays.
            }
        }
    }

    /** The signal that asked the run to stop ("SIGTERM", "SIGINT"), or null. */
    String received() {
        return received;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
