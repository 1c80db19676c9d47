-- SelectFTP accounts in PostgreSQL, version 3: upload locks across nodes and node liveness (docs/SCALING.md).

-- One row per name being uploaded on some node: two nodes never write one target at once. The row is taken
-- (one INSERT ... ON CONFLICT DO NOTHING) after the node's own lock and deleted at the upload's end.
CREATE TABLE upload_locks (
  name  text        NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  path  text        NOT NULL,
  node  text        NOT NULL,
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, path)
);
CREATE INDEX upload_locks_node ON upload_locks (node);

-- Each running node writes its row every few seconds (the database's clock, so the nodes' clocks never matter).
-- Any node gives back the quota_holds and upload_locks of a node whose row is older than the timeout, or that
-- has no row at all: its uploads died with it.
CREATE TABLE nodes (
  node text        PRIMARY KEY,
  seen timestamptz NOT NULL DEFAULT now()
);
