package dev.penchant.core.data.io;

import java.util.stream.Stream;

/**
 * A data set as streams of raw records: a file format, or the platform's database. Streams are
 * read lazily so large files never sit in memory whole; each call opens a fresh stream, which the
 * caller closes. Events come in the source's order; the pipeline sorts per user.
 */
public interface DataSource {
    String name();

    Stream<RawEvent> events();

    /** Users with attributes; empty when the source has none. */
    default Stream<RawUser> users() {
        return Stream.empty();
    }

    /** Items with text and categories; empty when the source has none. */
    default Stream<RawItem> items() {
        return Stream.empty();
    }
}
