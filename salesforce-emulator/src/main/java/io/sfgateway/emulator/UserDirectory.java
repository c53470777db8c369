package io.sfgateway.emulator;

import java.util.Map;
import java.util.Optional;

/** Maps a subject to its Salesforce user id: configured users, then (if enabled) auto-provisioned ones. */
final class UserDirectory {

    private static final String USER_KEY_PREFIX = "005";

    private final Map<String, String> users;
    private final boolean autoProvision;

    UserDirectory(Map<String, String> users, boolean autoProvision) {
        this.users = Map.copyOf(users);
        this.autoProvision = autoProvision;
    }

    Optional<String> userId(String subject) {
        String userId = users.get(subject);
        if (userId != null) {
            return Optional.of(userId);
        }
        return autoProvision ? Optional.of(SalesforceIds.derived(USER_KEY_PREFIX, subject)) : Optional.empty();
    }
}
