package dev.ccp.sdk.internal;

import java.time.Duration;

/**
 * Background work on a daemon thread of its own: a step, a pause the step chooses, again, until
 * {@link #close()}, which also ends a pause or a long poll in flight.
 */
abstract class Loop implements Runnable {

    private final String name;
    private final Object lock = new Object();
    private volatile boolean closed;
    private Thread thread;

    Loop(String name) {
        this.name = name;
    }

    /** One round; answers how long to pause before the next, or null to stop. Must not throw. */
    abstract Duration once();

    synchronized void start() {
        if (thread == null && !closed) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public final void run() {
        while (!closed) {
            Duration pause = once();
            if (pause == null || !pause.isZero() && !sleep(pause)) {
                return;
            }
        }
    }

    boolean closed() {
        return closed;
    }

    private boolean sleep(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        synchronized (lock) {
            while (!closed) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            // Ends a long poll in flight: the JDK client gives up a send when its thread is interrupted.
            t.interrupt();
        }
    }
}
