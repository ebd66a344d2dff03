-- Events keep the order they were sent in. occurred_at alone ties for events in the same instant
-- (a batch sent without timestamps gets one receive time), and ties used to be broken by event_id,
-- i.e. by whatever ids the client chose. seq is assigned at ingest, in the order of the batch (the
-- ingest INSERT reads its rows WITH ORDINALITY and inserts them in that order), so every reader orders
-- by (occurred_at, seq): the training data source, the inference node's history read, the API's
-- event listing. Existing rows are numbered in the order the table rewrite meets them (insertion order
-- for a table that only ever had appends).
create sequence events_seq_seq as bigint;
alter table events add column seq bigint not null default nextval('events_seq_seq');
alter sequence events_seq_seq owned by events.seq;

-- The inference node's per-request read (a user's newest events with item, type and value) as an
-- index-only scan; it replaces the index on (user_id, occurred_at desc). The distinct items of a user
-- (excludeSeen beyond the events read) come from the same index.
create index events_user_seq_idx on events (user_id, occurred_at desc, seq desc) include (item_id, type, value);
drop index events_user_time_idx;
