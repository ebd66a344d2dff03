package dev.penchant.core.data.io;

import java.util.Map;

/** A user's side attributes as read (e.g. age, gender, occupation); values are strings or numbers. */
public record RawUser(String userId, Map<String, Object> attributes) {
}
