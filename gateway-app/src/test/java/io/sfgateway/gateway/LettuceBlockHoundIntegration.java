package io.sfgateway.gateway;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lettuce guards each connection's write path with a short critical section
 * ({@code SharedLock}, a {@code ReentrantLock} held for a few instructions while a command is
 * queued). When several event loops write to the one shared connection at once, a thread may
 * park there for an instant, which BlockHound reports; the error thrown from inside the lock
 * would then leave Lettuce's lock state broken. This allows exactly that section, nothing else
 * (the same allowance as exchange-filter's tests make: test classes are not shared between modules).
 */
public final class LettuceBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        for (String method : new String[] {"incrementWriters", "decrementWriters", "doExclusive"}) {
            builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", method);
        }
    }
}
