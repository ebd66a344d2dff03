package dev.penchant.core.preprocess;

import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.data.io.RawItem;
import dev.penchant.core.data.io.RawUser;

import java.util.List;
import java.util.stream.Stream;

/** In-memory data source for tests. */
public record ListSource(String name, List<RawEvent> ev, List<RawUser> us, List<RawItem> its) implements DataSource {
    public ListSource(List<RawEvent> ev) {
        this("list", ev, List.of(), List.of());
    }

    @Override
    public Stream<RawEvent> events() {
        return ev.stream();
    }

    @Override
    public Stream<RawUser> users() {
        return us.stream();
    }

    @Override
    public Stream<RawItem> items() {
        return its.stream();
    }
}
