package io.sfgateway.tokenexchange.routing;

import java.util.concurrent.Semaphore;

/**
 * The request-body bytes all requests together may hold for a replay. A request takes its body's
 * length before the body is read and gives it back when it is done with Salesforce; a request
 * that does not fit in what is left is streamed, and is not replayable. A JDK {@link Semaphore}
 * counting bytes: {@code tryAcquire} never waits, so no event loop blocks.
 */
public final class ReplayBudget {

    private final Semaphore bytes;
    private final int totalBytes;

    /** @param totalBytes at most {@link Integer#MAX_VALUE} (2 GiB) */
    public ReplayBudget(long totalBytes) {
        if (totalBytes < 0 || totalBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("replay budget must be between 0 and 2 GiB, was " + totalBytes);
        }
        this.totalBytes = (int) totalBytes;
        this.bytes = new Semaphore(this.totalBytes);
    }

    /** Takes {@code length} bytes of the budget if they are left; never waits. */
    public boolean tryTake(long length) {
        return length <= totalBytes && bytes.tryAcquire((int) length);
    }

    public void giveBack(long length) {
        bytes.release((int) length);
    }

    public long availableBytes() {
        return bytes.availablePermits();
    }
}
