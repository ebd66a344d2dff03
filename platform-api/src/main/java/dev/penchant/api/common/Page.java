package dev.penchant.api.common;

import java.util.List;

/**
 * One page of a list. {@code next} is an opaque cursor for the following page; null on the last.
 */
public record Page<T>(List<T> items, String next) {
}
